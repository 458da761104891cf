import { BarChart, FunnelChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the chart types the dashboard draws: keeps the bundle (and the build on 2 cores) small.
echarts.use([BarChart, PieChart, FunnelChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, CanvasRenderer]);

export interface ChartClick {
  name: string;
  dataIndex: number;
  data: unknown;
}

/**
 * One ECharts instance in a div that follows its container's width (1366 px laptops and wide screens).
 * A click on a bar or slice is handed to `onPick` (the dashboard's drill-down).
 */
export function Chart({ option, onPick, height = 280, label, testId }: { option: echarts.EChartsCoreOption; onPick?: (c: ChartClick) => void; height?: number; label: string; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => pick.current?.({ name: String(p.name), dataIndex: p.dataIndex, data: p.data }));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  return <div ref={ref} role="img" aria-label={label} data-testid={testId} style={{ width: '100%', height }} />;
}
