import { Form, Modal, type FormInstance } from 'antd';
import { useId, useState, type ReactNode } from 'react';

/**
 * A small form in a dialog for one command. `submit` returns true when the command went through; on a
 * refusal the dialog stays open with the API's messages on the fields (the caller's runner puts them there).
 */
export function CommandModal<V extends object>({
  title,
  open,
  onClose,
  submit,
  children,
  okText = '确定',
  initialValues,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  submit: (values: V, form: FormInstance<V>) => Promise<boolean>;
  children: ReactNode;
  okText?: string;
  initialValues?: Partial<V>;
}) {
  const [form] = Form.useForm<V>();
  const [busy, setBusy] = useState(false);
  // a form name per dialog: pages hold several dialogs at once and field ids must stay unique
  const name = `dlg${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const onOk = async () => {
    setBusy(true);
    try {
      const ok = await submit(form.getFieldsValue(true) as V, form);
      if (ok) {
        form.resetFields();
        onClose();
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={title} open={open} onCancel={onClose} onOk={onOk} okText={okText} cancelText="取消" confirmLoading={busy} forceRender>
      <Form form={form} name={name} layout="vertical" initialValues={initialValues} onFinish={onOk}>
        {children}
      </Form>
    </Modal>
  );
}
