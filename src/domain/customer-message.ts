/**
 * Behaviour §9.2: at start the customer receives `transfer_success_msg`, or this default (configurable template;
 * WeCom's own default text is unpublished, behaviour §8). `{takeover_name}` is replaced by the takeover's name.
 */
export const DEFAULT_TRANSFER_MESSAGE_TEMPLATE = '您好，您的服务已升级，后续将由我的同事{takeover_name}接替我的工作，继续为您服务。';

export function transferMessage(explicit: string | null, template: string, takeoverName: string): string {
  return explicit ?? template.replaceAll('{takeover_name}', takeoverName);
}
