import fc from 'fast-check';
import { InteractionResponseType, InteractionType, MessageFlags } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { LIMITS, describeViolation, invalidFormBody, validateCommands, validateInteractionCallback, validateWebhookMessage, type Violation } from './validate.js';

const quiet = { allowed_mentions: { parse: [] } };
const text = (length: number) => 'x'.repeat(length);
const reply = (data: unknown) => validateInteractionCallback({ type: InteractionResponseType.ChannelMessageWithSource, data }, { interactionType: InteractionType.ApplicationCommand });
/** `path: CODE` for each violation, compact enough to compare whole lists. */
const summary = (violations: Violation[]) => violations.map(({ path, code }) => `${path.join('.')}: ${code}`);

describe('messages', () => {
  it('accepts a reply with content, a full-size embed and quiet mentions', () => {
    const embed = { title: text(256), description: text(4096), fields: [{ name: text(256), value: text(1024) }], footer: { text: text(100) } };
    expect(reply({ content: text(2000), embeds: [embed], ...quiet })).toEqual([]);
  });

  it.each([
    ['content over 2000', { content: text(2001) }, 'data.content: BASE_TYPE_MAX_LENGTH'],
    ['more than 10 embeds', { embeds: Array.from({ length: 11 }, () => ({ title: 'a' })) }, 'data.embeds: BASE_TYPE_MAX_LENGTH'],
    ['a title over 256', { embeds: [{ title: text(257) }] }, 'data.embeds.0.title: BASE_TYPE_MAX_LENGTH'],
    ['a description over 4096', { embeds: [{ description: text(4097) }] }, 'data.embeds.0.description: BASE_TYPE_MAX_LENGTH'],
    ['more than 25 fields', { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] }, 'data.embeds.0.fields: BASE_TYPE_MAX_LENGTH'],
    ['an empty field name', { embeds: [{ fields: [{ name: '', value: 'v' }] }] }, 'data.embeds.0.fields.0.name: BASE_TYPE_BAD_LENGTH'],
    ['a field value over 1024', { embeds: [{ fields: [{ name: 'n', value: text(1025) }] }] }, 'data.embeds.0.fields.0.value: BASE_TYPE_BAD_LENGTH'],
    ['a footer over 2048', { embeds: [{ footer: { text: text(2049) } }] }, 'data.embeds.0.footer.text: BASE_TYPE_BAD_LENGTH'],
    ['an author name over 256', { embeds: [{ author: { name: text(257) } }] }, 'data.embeds.0.author.name: BASE_TYPE_BAD_LENGTH'],
    ['embeds over 6000 characters together', { embeds: [{ description: text(4000) }, { description: text(2001) }] }, 'data.embeds: MAX_EMBED_SIZE_EXCEEDED'],
    ['neither content nor embeds', {}, 'data: MESSAGE_EMPTY'],
    ['a flag only Discord may set', { content: 'hi', flags: MessageFlags.Loading }, 'data.flags: MESSAGE_FLAGS_INVALID'],
    ['more than 5 action rows', { content: 'hi', components: Array.from({ length: 6 }, () => ({ type: 1, components: [{ type: 2, style: 1, custom_id: 'b', label: 'b' }] })) }, 'data.components: BASE_TYPE_MAX_LENGTH'],
    ['more than 5 buttons in a row', { content: 'hi', components: [{ type: 1, components: Array.from({ length: 6 }, (_, index) => ({ type: 2, style: 1, custom_id: `b${index}`, label: 'b' })) }] }, 'data.components.0.components: BASE_TYPE_MAX_LENGTH'],
    ['a custom_id over 100', { content: 'hi', components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: text(101), label: 'b' }] }] }, 'data.components.0.components.0.custom_id: BASE_TYPE_BAD_LENGTH'],
  ])('refuses %s', (_, data, expected) => {
    expect(summary(reply({ ...quiet, ...data }))).toEqual([expected]);
  });

  it('counts code points like Discord, so 2000 emoji fit in the content', () => {
    expect(reply({ content: '📚'.repeat(2000), ...quiet })).toEqual([]);
    expect(summary(reply({ content: '📚'.repeat(2001), ...quiet }))).toEqual(['data.content: BASE_TYPE_MAX_LENGTH']);
  });

  it('lets edits change a single field but still checks it', () => {
    expect(validateWebhookMessage({ embeds: [], ...quiet }, 'edit')).toEqual([]);
    expect(summary(validateWebhookMessage({ ...quiet }, 'create'))).toEqual([': MESSAGE_EMPTY']);
    expect(summary(validateWebhookMessage({ content: text(2001), ...quiet }, 'edit'))).toEqual(['content: BASE_TYPE_MAX_LENGTH']);
  });

  it('flags the 6000-character total exactly when the embeds exceed it', () => {
    const embed = fc.record({ title: fc.string({ maxLength: 256 }), description: fc.string({ maxLength: 4096 }) });
    fc.assert(
      fc.property(fc.array(embed, { maxLength: 10 }), (embeds) => {
        const total = embeds.reduce((sum, { title, description }) => sum + [...title].length + [...description].length, 0);
        const flagged = validateWebhookMessage({ content: 'c', embeds, ...quiet }, 'create').some((violation) => violation.code === 'MAX_EMBED_SIZE_EXCEEDED');
        expect(flagged).toBe(total > LIMITS.embedTotal);
      }),
    );
  });
});

describe('mentions', () => {
  const withMentions = (allowed_mentions: unknown, mentions: 'strict' | 'lenient' = 'strict') =>
    summary(validateWebhookMessage({ content: '@everyone look', ...(allowed_mentions === undefined ? {} : { allowed_mentions }) }, 'create', mentions));

  it('requires allowed_mentions in strict mode only', () => {
    expect(withMentions(undefined)).toEqual(['allowed_mentions: FOOTNOTE_ALLOWED_MENTIONS_REQUIRED']);
    expect(withMentions(undefined, 'lenient')).toEqual([]);
  });

  it('refuses parsed pings in strict mode but allows explicit user ids', () => {
    expect(withMentions({ parse: ['users', 'everyone'] })).toEqual(['allowed_mentions.parse.0: FOOTNOTE_PARSED_MENTIONS', 'allowed_mentions.parse.1: FOOTNOTE_PARSED_MENTIONS']);
    expect(withMentions({ parse: ['everyone'] }, 'lenient')).toEqual([]);
    expect(withMentions({ parse: [], users: ['1100000000000000010'] })).toEqual([]);
  });

  it('refuses parse users together with a users list, as Discord does in any mode', () => {
    expect(withMentions({ parse: ['users'], users: ['1'] }, 'lenient')).toEqual(['allowed_mentions.users: SET_TYPE_ALREADY_CONTAINS_VALUE']);
  });

  it('checks allowed_mentions on component updates too', () => {
    const update = validateInteractionCallback({ type: InteractionResponseType.UpdateMessage, data: { content: 'page 2' } }, { interactionType: InteractionType.MessageComponent });
    expect(summary(update)).toEqual(['data.allowed_mentions: FOOTNOTE_ALLOWED_MENTIONS_REQUIRED']);
  });
});

describe('callbacks', () => {
  const autocomplete = (choices: unknown) =>
    summary(validateInteractionCallback({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } }, { interactionType: InteractionType.ApplicationCommandAutocomplete }));

  it('accepts up to 25 autocomplete choices with names of 1 to 100 characters', () => {
    expect(autocomplete(Array.from({ length: 25 }, (_, index) => ({ name: text(100), value: index })))).toEqual([]);
    expect(autocomplete(Array.from({ length: 26 }, () => ({ name: 'a', value: 'a' })))).toEqual(['data.choices: BASE_TYPE_MAX_LENGTH']);
    expect(autocomplete([{ name: '', value: text(101) }])).toEqual(['data.choices.0.name: BASE_TYPE_BAD_LENGTH', 'data.choices.0.value: BASE_TYPE_MAX_LENGTH']);
  });

  it('refuses callback types the interaction cannot take', () => {
    const messageToAutocomplete = validateInteractionCallback({ type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'hi', ...quiet } }, { interactionType: InteractionType.ApplicationCommandAutocomplete });
    const updateToCommand = validateInteractionCallback({ type: InteractionResponseType.UpdateMessage, data: { content: 'hi', ...quiet } }, { interactionType: InteractionType.ApplicationCommand });
    expect(summary([...messageToAutocomplete, ...updateToCommand])).toEqual(['type: INTERACTION_RESPONSE_TYPE_INVALID', 'type: INTERACTION_RESPONSE_TYPE_INVALID']);
  });

  it('accepts an ephemeral defer', () => {
    const defer = { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } };
    expect(validateInteractionCallback(defer, { interactionType: InteractionType.ApplicationCommand })).toEqual([]);
  });
});

describe('commands', () => {
  const command = (overrides: object) => ({ name: 'who', description: 'Who is this?', ...overrides });

  it('accepts a well-formed command list', () => {
    const options = [
      { name: 'name', description: 'A name', type: 3, required: true },
      { name: 'limit', description: 'How many', type: 4 },
    ];
    expect(validateCommands([command({ options })])).toEqual([]);
  });

  it('refuses bad names, long descriptions, misplaced required options and duplicates', () => {
    const options = [
      { name: 'limit', description: 'How many', type: 4 },
      { name: 'name', description: 'A name', type: 3, required: true },
    ];
    expect(summary(validateCommands([command({ name: 'Who' }), command({ description: text(101) }), command({ name: 'ask', options })]))).toEqual([
      '0.name: APPLICATION_COMMAND_INVALID_NAME',
      '1.description: BASE_TYPE_BAD_LENGTH',
      '2.options.1.required: APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
    ]);
    expect(summary(validateCommands([command({}), command({})]))).toEqual(['1.name: APPLICATION_COMMAND_NAME_ALREADY_EXISTS']);
  });
});

describe("Discord's error shape", () => {
  it('nests every violation under its path in an Invalid Form Body error', () => {
    const violations = reply({ content: text(2001), embeds: [{ title: text(257) }], ...quiet });

    expect(invalidFormBody(violations)).toEqual({
      code: 50035,
      message: 'Invalid Form Body',
      errors: {
        data: {
          content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] },
          embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' }] } } },
        },
      },
    });
    expect(violations.map(describeViolation)).toEqual(['data.content: Must be 2000 or fewer in length. (BASE_TYPE_MAX_LENGTH)', 'data.embeds.0.title: Must be 256 or fewer in length. (BASE_TYPE_MAX_LENGTH)']);
  });
});
