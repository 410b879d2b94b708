/**
 * Behaviour §9.2: at start the customer receives `transfer_success_msg`, or this default (configurable template;
 * WeCom's own default text is unpublished, behaviour §8). `{takeover_name}` is replaced by the takeover's name.
 */
export const DEFAULT_TRANSFER_MESSAGE_TEMPLATE = '您好，您的服务已升级，后续将由我的同事{takeover_name}接替我的工作，继续为您服务。';

export function transferMessage(explicit: string | null, template: string, takeoverName: string): string {
  return explicit ?? template.replaceAll('{takeover_name}', takeoverName);
}

/**
 * Behaviour §10.4: what the customer of a resigned member receives when a resigned transfer starts (configurable
 * template; the text is the one users report, [3P]). `{takeover_name}` and `{handover_name}` are replaced.
 */
export const DEFAULT_RESIGNED_NOTICE_TEMPLATE = '由于工作变更，{takeover_name}将在24小时后添加为你的企业微信联系人，接替{handover_name}继续为你提供服务。';

export function resignedNotice(template: string, takeoverName: string, handoverName: string): string {
  return template.replaceAll('{takeover_name}', takeoverName).replaceAll('{handover_name}', handoverName);
}
