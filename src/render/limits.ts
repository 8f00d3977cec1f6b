// Discord's message limits, enforced in this one place for every reply the bot sends.
// https://discord.com/developers/docs/resources/message#embed-object-embed-limits

export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** All titles, descriptions, field names and values, footers and authors of one message. */
  total: 6000,
} as const;

export interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

/** The subset of Discord's embed object that replies use (same field names, plain data). */
export interface Embed {
  title?: string;
  description?: string;
  color?: number;
  fields?: EmbedField[];
  footer?: { text: string };
}

export interface Message {
  content?: string;
  embeds: Embed[];
}

/**
 * How many `**` bold markers `markdown` has, not counting escaped asterisks (`\*`), escaped
 * backslashes, or asterisks inside a code block (a reference list may hold "**" as text).
 */
function boldMarkers(markdown: string): number {
  const md = markdown.replace(/```[\s\S]*?```/g, '');
  let n = 0;
  for (let i = 0; i < md.length; i++) {
    if (md[i] === '\\') i++;
    else if (md[i] === '*' && md[i + 1] === '*') {
      n++;
      i++;
    }
  }
  return n;
}

/**
 * `text` cut to at most `max` characters at a space, with "…"; bold markers left open by the cut
 * are closed, and a dangling escape backslash or half an emoji is dropped, so the text stays whole.
 */
export function clamp(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 3));
  const space = cut.search(/\s\S*$/);
  if (space > max / 2) cut = cut.slice(0, space);
  cut = cut
    .replace(/[\ud800-\udbff]$/, '')
    .replace(/\\+$/, (s) => (s.length % 2 ? s.slice(1) : s))
    .trimEnd();
  const open = boldMarkers(cut) % 2 === 1;
  return `${cut}…${open ? '**' : ''}`.slice(0, max);
}

function embedLength(e: Embed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

function fitEmbed(e: Embed): Embed {
  const fields = (e.fields ?? []).slice(0, LIMITS.fields).map((f) => ({
    ...f,
    name: clamp(f.name, LIMITS.fieldName) || '\u200b',
    value: clamp(f.value, LIMITS.fieldValue) || '\u200b',
  }));
  return {
    ...e,
    ...(e.title !== undefined && { title: clamp(e.title, LIMITS.title) }),
    ...(e.description !== undefined && { description: clamp(e.description, LIMITS.description) }),
    ...(e.footer && { footer: { text: clamp(e.footer.text, LIMITS.footer) } }),
    ...(e.fields && { fields }),
  };
}

/**
 * A message within every limit: each part clamped, then whole embeds dropped, then the last
 * embed's fields and text shortened, until the total fits.
 */
export function fitMessage(message: Message): Message {
  const embeds = message.embeds.slice(0, LIMITS.embeds).map(fitEmbed);
  const total = () => embeds.reduce((n, e) => n + embedLength(e), 0);
  while (total() > LIMITS.total && embeds.length > 1) embeds.pop();
  const last = embeds[0];
  while (last?.fields?.length && total() > LIMITS.total) last.fields.pop();
  for (const part of ['description', 'footer', 'title'] as const) {
    const over = total() - LIMITS.total;
    if (!last || over <= 0) break;
    if (part === 'footer' && last.footer) last.footer = { text: clamp(last.footer.text, Math.max(1, last.footer.text.length - over)) };
    else if (part !== 'footer' && last[part]) last[part] = clamp(last[part]!, Math.max(1, last[part]!.length - over));
  }
  const content = message.content === undefined ? undefined : clamp(message.content, LIMITS.content);
  return { ...(content !== undefined && { content }), embeds };
}
