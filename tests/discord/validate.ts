/**
 * Discord's documented payload rules as pure functions, so the fake Discord can refuse what the real one
 * would refuse (and a few things Footnote's own policy refuses), with Discord's 400 error shape.
 *
 * Each validator takes the untrusted JSON body the bot sent and returns a list of violations; an empty
 * list means the payload is fine. Paths and codes follow Discord's "Invalid Form Body" errors, e.g.
 * `data.embeds.0.description` with `BASE_TYPE_MAX_LENGTH`, so a DiscordAPIError raised by discord.js
 * against the fake reads like one raised against Discord.
 *
 * Lengths count Unicode code points, as Discord's Python backend does (discord-api-docs#1315); JavaScript's
 * `.length` counts UTF-16 units and would over-count emoji.
 */
import { ComponentType, InteractionResponseType, InteractionType, MessageFlags } from 'discord.js';

/** One broken rule, located like Discord locates it: a path into the JSON body plus Discord-style code and message. */
export interface Violation {
  path: (string | number)[];
  code: string;
  message: string;
}

/**
 * `strict` (the default) adds Footnote's policy to Discord's rules: every message states `allowed_mentions`
 * and never lets Discord parse pings out of the text (only explicit user or role id lists may ping).
 * `lenient` checks Discord's rules only.
 */
export type MentionPolicy = 'strict' | 'lenient';

/** Discord's documented limits (developer docs: Message, Embed Limits, Components, Interactions, Application Commands). */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedTotal: 6000,
  actionRows: 5,
  componentsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  modalTitle: 45,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  commands: 100,
} as const;

/** Flags a bot may set on an interaction response or webhook message; anything else is Discord-controlled. */
const SETTABLE_FLAGS = MessageFlags.SuppressEmbeds | MessageFlags.Ephemeral | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2;

/** Mentions Discord would parse out of the text by itself, pinging people nobody listed. */
const PARSED_PINGS = ['everyone', 'roles', 'users'];

/** The body Discord answers a rejected payload with (HTTP 400). */
export interface InvalidFormBody {
  code: 50035;
  message: 'Invalid Form Body';
  errors: ErrorTree;
}

/** Discord nests errors by path: `{ data: { embeds: { 0: { title: { _errors: [...] } } } } }`. */
export interface ErrorTree {
  _errors?: { code: string; message: string }[];
  [key: string]: ErrorTree | { code: string; message: string }[] | undefined;
}

export function invalidFormBody(violations: Violation[]): InvalidFormBody {
  const errors: ErrorTree = {};
  for (const { path, code, message } of violations) {
    let node = errors;
    for (const key of path) node = (node[String(key)] ??= {}) as ErrorTree;
    (node._errors ??= []).push({ code, message });
  }
  return { code: 50035, message: 'Invalid Form Body', errors };
}

/** `data.embeds.0.title: Must be 256 or fewer in length. (BASE_TYPE_MAX_LENGTH)`, for test failure messages. */
export function describeViolation({ path, code, message }: Violation): string {
  return `${path.join('.') || '(body)'}: ${message} (${code})`;
}

/** Which callback types Discord accepts for each kind of interaction (only autocomplete may, and must, answer with 8). */
const CALLBACKS_FOR: Record<number, readonly InteractionResponseType[]> = {
  [InteractionType.ApplicationCommand]: [InteractionResponseType.ChannelMessageWithSource, InteractionResponseType.DeferredChannelMessageWithSource, InteractionResponseType.Modal],
  [InteractionType.MessageComponent]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [InteractionResponseType.ApplicationCommandAutocompleteResult],
  [InteractionType.ModalSubmit]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
};

/** The body of `POST /interactions/{id}/{token}/callback`, answering an interaction of `interactionType`. */
export function validateInteractionCallback(body: unknown, { interactionType, mentions = 'strict' }: { interactionType: InteractionType; mentions?: MentionPolicy }): Violation[] {
  const out: Violation[] = [];
  if (!isRecord(body)) return [required([])];
  const allowed = CALLBACKS_FOR[interactionType] ?? [];
  if (!allowed.includes(body.type as InteractionResponseType)) {
    return [{ path: ['type'], code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: `Interactions of type ${interactionType} accept callback types {${allowed.join(', ')}}, not ${JSON.stringify(body.type)}.` }];
  }
  const data = body.data;
  switch (body.type) {
    case InteractionResponseType.ChannelMessageWithSource:
      checkMessage(data, ['data'], 'create', mentions, out);
      break;
    case InteractionResponseType.UpdateMessage:
      checkMessage(data, ['data'], 'edit', mentions, out);
      break;
    case InteractionResponseType.DeferredChannelMessageWithSource:
      // A defer carries at most the flags of the message to come (ephemeral or not).
      if (isRecord(data)) checkFlags(data.flags, ['data', 'flags'], out);
      break;
    case InteractionResponseType.ApplicationCommandAutocompleteResult:
      checkChoices(isRecord(data) ? data.choices : undefined, ['data', 'choices'], out);
      break;
    case InteractionResponseType.Modal:
      checkModal(data, ['data'], out);
      break;
  }
  return out;
}

/** The body of a follow-up (`POST /webhooks/{app}/{token}`, a new message) or an edit (`PATCH .../messages/{id}`). */
export function validateWebhookMessage(body: unknown, kind: 'create' | 'edit', mentions: MentionPolicy = 'strict'): Violation[] {
  const out: Violation[] = [];
  checkMessage(body, [], kind, mentions, out);
  return out;
}

/** The body of `PUT /applications/{app}/commands` and `PUT /applications/{app}/guilds/{guild}/commands`. */
export function validateCommands(body: unknown): Violation[] {
  const out: Violation[] = [];
  const commands = list(body, [], LIMITS.commands, out);
  commands.forEach((command, index) => {
    const path = [index];
    if (!isRecord(command)) return void out.push(required(path));
    checkName(command.name, [...path, 'name'], out, (command.type ?? 1) === 1);
    // Only slash commands (type 1, the default) have descriptions; user and message context menus must not.
    if ((command.type ?? 1) === 1) text(command.description, [...path, 'description'], out, { min: 1, max: LIMITS.commandDescription });
    checkCommandOptions(command.options, [...path, 'options'], out);
  });
  const names = commands.filter(isRecord).map((command) => `${String(command.type ?? 1)}:${String(command.name)}`);
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index) out.push({ path: [index, 'name'], code: 'APPLICATION_COMMAND_NAME_ALREADY_EXISTS', message: 'Application command names must be unique' });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Messages

/**
 * A message is what the bot shows people: interaction replies (callback type 4), component updates (type 7),
 * follow-ups and edits. New messages must show something; edits may change a single field.
 */
function checkMessage(value: unknown, path: Path, kind: 'create' | 'edit', mentions: MentionPolicy, out: Violation[]): void {
  if (!isRecord(value)) return void out.push(required(path));
  text(value.content, [...path, 'content'], out, { max: LIMITS.content });
  const embeds = list(value.embeds, [...path, 'embeds'], LIMITS.embeds, out);
  embeds.forEach((embed, index) => checkEmbed(embed, [...path, 'embeds', index], out));
  if (embeds.filter(isRecord).reduce((sum, embed) => sum + embedSize(embed), 0) > LIMITS.embedTotal) {
    out.push({ path: [...path, 'embeds'], code: 'MAX_EMBED_SIZE_EXCEEDED', message: `Embed size exceeds maximum size of ${LIMITS.embedTotal}` });
  }
  const flags = checkFlags(value.flags, [...path, 'flags'], out);
  checkComponents(value.components, [...path, 'components'], (flags & MessageFlags.IsComponentsV2) !== 0, out);
  checkAllowedMentions(value.allowed_mentions, [...path, 'allowed_mentions'], mentions, out);

  const showsSomething = [value.content, value.embeds, value.components, value.attachments, value.sticker_ids].some((part) => part !== undefined && part !== null && length(part) > 0) || value.poll !== undefined;
  if (kind === 'create' && !showsSomething) {
    // Discord answers this one with code 50006; it is listed here with the rest so one report shows everything.
    out.push({ path, code: 'MESSAGE_EMPTY', message: 'Cannot send an empty message' });
  }
}

function checkEmbed(embed: unknown, path: Path, out: Violation[]): void {
  if (!isRecord(embed)) return void out.push(required(path));
  text(embed.title, [...path, 'title'], out, { max: LIMITS.embedTitle });
  text(embed.description, [...path, 'description'], out, { max: LIMITS.embedDescription });
  list(embed.fields, [...path, 'fields'], LIMITS.embedFields, out).forEach((field, index) => {
    const fieldPath = [...path, 'fields', index];
    if (!isRecord(field)) return void out.push(required(fieldPath));
    text(field.name, [...fieldPath, 'name'], out, { min: 1, max: LIMITS.fieldName });
    text(field.value, [...fieldPath, 'value'], out, { min: 1, max: LIMITS.fieldValue });
  });
  // A footer or author, once present, must have its text.
  if (embed.footer !== undefined) text(isRecord(embed.footer) ? embed.footer.text : undefined, [...path, 'footer', 'text'], out, { min: 1, max: LIMITS.footerText });
  if (embed.author !== undefined) text(isRecord(embed.author) ? embed.author.name : undefined, [...path, 'author', 'name'], out, { min: 1, max: LIMITS.authorName });
}

/** The characters that count towards the 6000 shared by all embeds of a message. */
function embedSize(embed: Record<string, unknown>): number {
  const fields = Array.isArray(embed.fields) ? embed.fields.filter(isRecord) : [];
  const counted = [
    embed.title,
    embed.description,
    isRecord(embed.footer) ? embed.footer.text : undefined,
    isRecord(embed.author) ? embed.author.name : undefined,
    ...fields.flatMap((field) => [field.name, field.value]),
  ];
  return counted.reduce<number>((sum, part) => sum + (typeof part === 'string' ? length(part) : 0), 0);
}

function checkFlags(value: unknown, path: Path, out: Violation[]): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || (value & ~SETTABLE_FLAGS) !== 0) {
    out.push({ path, code: 'MESSAGE_FLAGS_INVALID', message: `Only SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS and IS_COMPONENTS_V2 may be set, got ${JSON.stringify(value)}.` });
    return 0;
  }
  return value;
}

/**
 * Discord's rule: `parse: ['users']` and an explicit `users` list exclude each other (likewise roles).
 * Footnote's strict policy: the field must be there, and Discord must not parse pings out of the text.
 */
function checkAllowedMentions(value: unknown, path: Path, mentions: MentionPolicy, out: Violation[]): void {
  if (value === undefined || value === null) {
    if (mentions === 'strict') out.push({ path, code: 'FOOTNOTE_ALLOWED_MENTIONS_REQUIRED', message: 'Footnote policy: every message must set allowed_mentions (e.g. { parse: [] }) so it pings no one by accident.' });
    return;
  }
  if (!isRecord(value)) return void out.push({ path, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
  const parse = value.parse === undefined ? [] : list(value.parse, [...path, 'parse'], PARSED_PINGS.length, out);
  for (const kind of ['users', 'roles'] as const) {
    const ids = value[kind] === undefined ? [] : list(value[kind], [...path, kind], 100, out);
    if (parse.includes(kind) && ids.length > 0) {
      out.push({ path: [...path, kind], code: 'SET_TYPE_ALREADY_CONTAINS_VALUE', message: `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive.` });
    }
  }
  if (mentions === 'strict') {
    parse.forEach((kind, index) => {
      if (typeof kind === 'string' && PARSED_PINGS.includes(kind)) {
        out.push({ path: [...path, 'parse', index], code: 'FOOTNOTE_PARSED_MENTIONS', message: `Footnote policy: parse must not contain "${kind}"; list the ids to ping explicitly.` });
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Components, autocomplete choices, modals

const SELECT_MENUS: readonly unknown[] = [ComponentType.StringSelect, ComponentType.UserSelect, ComponentType.RoleSelect, ComponentType.MentionableSelect, ComponentType.ChannelSelect];

/**
 * Classic messages hold up to 5 action rows of up to 5 buttons (or one select menu). Messages flagged
 * IS_COMPONENTS_V2 use a different layout system whose limits the fake does not model; for those only the
 * custom_id rule is checked.
 */
function checkComponents(value: unknown, path: Path, componentsV2: boolean, out: Violation[]): void {
  const top = list(value, path, componentsV2 ? Infinity : LIMITS.actionRows, out);
  top.forEach((row, index) => {
    const rowPath = [...path, index];
    if (!isRecord(row)) return void out.push(required(rowPath));
    if (!componentsV2) {
      if (row.type !== ComponentType.ActionRow) out.push({ path: [...rowPath, 'type'], code: 'COMPONENT_LAYOUT_INVALID', message: 'Top-level components must be action rows (type 1).' });
      const children = list(row.components, [...rowPath, 'components'], LIMITS.componentsPerRow, out);
      if (children.length > 1 && children.some((child) => isRecord(child) && SELECT_MENUS.includes(child.type))) {
        out.push({ path: [...rowPath, 'components'], code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', message: 'A select menu must be alone in its action row.' });
      }
    }
  });
  walkComponents(top, path, (component, componentPath) => {
    if (component.custom_id !== undefined) text(component.custom_id, [...componentPath, 'custom_id'], out, { min: 1, max: LIMITS.customId });
    if (component.type === ComponentType.Button) text(component.label, [...componentPath, 'label'], out, { max: LIMITS.buttonLabel });
  });
}

/** Visits every component however deeply it is nested (rows, containers, sections, accessories). */
function walkComponents(components: unknown[], path: Path, visit: (component: Record<string, unknown>, path: Path) => void): void {
  components.forEach((component, index) => {
    if (!isRecord(component)) return;
    const componentPath = [...path, index];
    visit(component, componentPath);
    if (Array.isArray(component.components)) walkComponents(component.components, [...componentPath, 'components'], visit);
    if (isRecord(component.accessory)) walkComponents([component.accessory], [...componentPath, 'accessory'], visit);
  });
}

function checkChoices(value: unknown, path: Path, out: Violation[]): void {
  if (value === undefined) return void out.push(required(path));
  list(value, path, LIMITS.choices, out).forEach((choice, index) => {
    const choicePath = [...path, index];
    if (!isRecord(choice)) return void out.push(required(choicePath));
    text(choice.name, [...choicePath, 'name'], out, { min: 1, max: LIMITS.choiceName });
    if (typeof choice.value === 'string') text(choice.value, [...choicePath, 'value'], out, { max: LIMITS.choiceValue });
    else if (typeof choice.value !== 'number') out.push({ path: [...choicePath, 'value'], code: 'BASE_TYPE_REQUIRED', message: 'Choice values must be strings or numbers.' });
  });
}

function checkModal(value: unknown, path: Path, out: Violation[]): void {
  if (!isRecord(value)) return void out.push(required(path));
  text(value.custom_id, [...path, 'custom_id'], out, { min: 1, max: LIMITS.customId });
  text(value.title, [...path, 'title'], out, { min: 1, max: LIMITS.modalTitle });
  const components = list(value.components, [...path, 'components'], LIMITS.actionRows, out);
  if (components.length === 0) out.push(required([...path, 'components']));
}

// ---------------------------------------------------------------------------------------------------------
// Application commands

/** Lower-case letters, digits, `-` and `_` in any script, 1 to 32 of them (Discord's documented regex). */
const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Slash commands and their options are lower case without spaces; a context menu command's name is as shown ("Find sources"). */
function checkName(value: unknown, path: Path, out: Violation[], slash = true): void {
  text(value, path, out, { min: 1, max: LIMITS.commandName });
  if (slash && typeof value === 'string' && (!COMMAND_NAME.test(value) || value !== value.toLowerCase())) {
    out.push({ path, code: 'APPLICATION_COMMAND_INVALID_NAME', message: `Command name is invalid: "${value}" (lower case letters, digits, - and _ only).` });
  }
}

const SUBCOMMAND_TYPES: readonly unknown[] = [1, 2];

function checkCommandOptions(value: unknown, path: Path, out: Violation[]): void {
  const options = list(value, path, LIMITS.commandOptions, out);
  let sawOptional = false;
  options.forEach((option, index) => {
    const optionPath = [...path, index];
    if (!isRecord(option)) return void out.push(required(optionPath));
    checkName(option.name, [...optionPath, 'name'], out);
    text(option.description, [...optionPath, 'description'], out, { min: 1, max: LIMITS.commandDescription });
    if (option.required === true && sawOptional) {
      out.push({ path: [...optionPath, 'required'], code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message: 'Required options must be placed before non-required options' });
    }
    sawOptional ||= option.required !== true;
    if (option.choices !== undefined) checkChoices(option.choices, [...optionPath, 'choices'], out);
    if (SUBCOMMAND_TYPES.includes(option.type)) checkCommandOptions(option.options, [...optionPath, 'options'], out);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Field-level helpers shared by all the rules above

type Path = (string | number)[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function required(path: Path): Violation {
  return { path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' };
}

/** Code points of a string, or items of an array. */
function length(value: unknown): number {
  if (typeof value === 'string') return [...value].length;
  return Array.isArray(value) ? value.length : 0;
}

/** An optional string field (required when `min` ≥ 1) whose length must lie within bounds. */
function text(value: unknown, path: Path, out: Violation[], { min = 0, max }: { min?: number; max: number }): void {
  if (value === undefined || value === null) {
    if (min > 0) out.push(required(path));
    return;
  }
  if (typeof value !== 'string') return void out.push({ path, code: 'BASE_TYPE_STRING', message: 'Must be a string.' });
  const size = length(value);
  if (size > max || size < min) {
    out.push(min > 0
      ? { path, code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between ${min} and ${max} in length.` }
      : { path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
}

/** An optional array field with at most `max` items; returns its items (none when absent or not an array). */
function list(value: unknown, path: Path, max: number, out: Violation[]): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    out.push({ path, code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' });
    return [];
  }
  if (value.length > max) out.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  return value;
}
