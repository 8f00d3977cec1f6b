// Making corpus and query text safe to show in Discord: shown exactly as written, never read as
// formatting, a link or a mention.

/** Backslash-escapes everything Discord would read as markdown or a link. */
export function escapeMarkdown(text: string): string {
  return neutraliseMentions(text.replace(/[\\*_~`|[\]<>#-]/g, '\\$&'));
}

/** "@everyone" and "@here" are written with a zero-width space so they can never ping. */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, '@\u200b$1');
}

/** `text` escaped, with the `[start, end)` ranges in bold. */
export function boldRanges(text: string, ranges: ReadonlyArray<readonly [number, number]>): string {
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    out += `${escapeMarkdown(text.slice(at, start))}**${escapeMarkdown(text.slice(start, end))}**`;
    at = end;
  }
  return out + escapeMarkdown(text.slice(at));
}

/**
 * `text` in a code block, which Discord shows exactly as written and copies without escapes. Two
 * things a code block cannot hold are broken by a zero-width space: its own fence (three
 * backticks), and anything that reads as a mention, which no reply may carry whole.
 */
export function codeBlock(text: string): string {
  const safe = neutraliseMentions(text)
    .replace(/`{3,}/g, (run) => run.split('').join('\u200b'))
    .replace(/<([@#])/g, '<\u200b$1');
  return `\`\`\`\n${safe}\n\`\`\``;
}
