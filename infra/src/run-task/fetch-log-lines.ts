export interface LogPage {
  readonly messages: readonly string[];
  readonly nextForwardToken: string | undefined;
}

/**
 * Reads a log stream from its start to its end: CloudWatch Logs signals the end by handing back the
 * token it was given. `readPage` is one GetLogEvents call.
 */
export async function fetchLogLines(
  readPage: (token: string | undefined) => Promise<LogPage>,
  maxPages = 1000,
): Promise<string[]> {
  const lines: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const reply = await readPage(token);
    lines.push(...reply.messages);
    if (reply.nextForwardToken === undefined || reply.nextForwardToken === token) break;
    token = reply.nextForwardToken;
  }
  return lines;
}
