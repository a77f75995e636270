/** Outgoing SMS behind one interface; the transport is chosen by configuration. */
export interface SmsMessage {
  /** E.164, e.g. +989121234567. */
  to: string;
  text: string;
  code?: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<{ id: string }>;
}
