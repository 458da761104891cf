import { parseCsv } from './ledger-file.parser';
import { validateLedger, type ValidationContext } from './ledger-row.validation';

const ctx: ValidationContext = {
  today: '2026-03-16',
  agencyCode: (s) => ({ 县审计局: 'audit-bureau', 'audit-bureau': 'audit-bureau', 县财政局: 'finance-bureau', 'finance-bureau': 'finance-bureau' })[s],
  isMember: (_code, on) => on >= '2012-01-01',
};

describe('ledger rows (台账导入校验)', () => {
  it('given recovery rows in yuan or fen, when validated, then amounts become exact integer fen and identical rows get distinct keys', () => {
    const sheet = parseCsv(
      ['案件原编号,金额（元）,金额（分）,挽损类别,挽损单位,挽损日期,备注', '"A-1","1,234,567.89",,追缴,县审计局,2013年5月6日,"含""逗号"",的备注"', 'A-1,0.1,,罚没,finance-bureau,2013/5/6,', 'A-1,0.1,,罚没,finance-bureau,2013/5/6,', 'A-1,,150000000000,退赔,县财政局,2014-01-02,'].join('\r\n'),
      'recoveries',
    );
    const v = validateLedger([sheet], ctx);
    expect(v.errors).toEqual([]);
    expect(v.recoveries.map((r) => [r.row, r.amountFen, r.category, r.agency, r.recoveredOn])).toEqual([
      [2, 123_456_789, 'confiscation', 'audit-bureau', '2013-05-06'],
      [3, 10, 'fine', 'finance-bureau', '2013-05-06'],
      [4, 10, 'fine', 'finance-bureau', '2013-05-06'],
      [5, 150_000_000_000, 'restitution', 'finance-bureau', '2014-01-02'],
    ]);
    expect(v.recoveries[0].note).toBe('含"逗号",的备注');
    expect(v.recoveries[1].contentKey).not.toBe(v.recoveries[2].contentKey);
  });

  it('given bad cells in several rows, when validated, then every problem is named by row and field', () => {
    const sheet = parseCsv(
      [
        '原编号,案件名称,被调查人,主办单位,协办单位,立案日期,结案日期,重大',
        'A-1,甲案,甲,县审计局,,2011-12-31,,是',
        'A-2,,乙,县公安局,,2013-02-30,,也许',
        'A-1,丙案,丙,县审计局,县审计局,2013-01-01,2012-01-01,否',
        'A-4,丁案,丁,县审计局,,2026-03-17,,',
      ].join('\n'),
      'cases',
    );
    expect(validateLedger([sheet], ctx).errors).toEqual([
      { field: 'row 2: leadAgency', message: '“县审计局”在 2011-12-31 不是协调小组成员单位' },
      { field: 'row 3: filedOn', message: '日期无效（应为 YYYY-MM-DD）' },
      { field: 'row 3: title', message: '必填' },
      { field: 'row 3: leadAgency', message: '“县公安局”不是协调小组成员单位' },
      { field: 'row 3: major', message: '应为“是”或“否”' },
      { field: 'row 4: closedOn', message: '结案日期不能早于立案日期' },
      { field: 'row 4: coAgencies', message: '主办单位不能同时是协办单位' },
      { field: 'row 4: originalNo', message: '原编号与第 2 行重复' },
      { field: 'row 5: filedOn', message: '日期不能晚于今天（2026-03-16）' },
    ]);
  });

  it('given a workbook with several ledgers, when validated, then errors also name the ledger', () => {
    const leads = parseCsv('被反映人,反映问题,报送单位,受理日期,线索来源\n甲,问题,县审计局,2013-01-01,举报\n', 'leads');
    const recoveries = parseCsv('案件原编号,金额（分）,挽损类别,挽损单位,挽损日期\nA,1.5,追缴,县审计局,2013-01-01\n', 'recoveries');
    expect(validateLedger([leads, recoveries], ctx).errors).toEqual([
      { field: 'leads row 2: source', message: '线索来源无效：举报' },
      { field: 'recoveries row 2: amountFen', message: '金额须为正整数（单位：分）' },
    ]);
  });
});
