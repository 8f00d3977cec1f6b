/**
 * The JSON objects the fake Discord hands to discord.js: users, the guild, interactions and messages.
 *
 * They are typed with discord-api-types (re-exported by discord.js) so the type checker tells us when
 * Discord's schema, and therefore what discord.js expects to parse, grows a required field. discord.js
 * builds its structures from these in the gateway handler; a missing field there throws inside the
 * dispatch and the `interactionCreate` event silently never fires, which is the failure this file
 * exists to prevent.
 */
import {
  ApplicationCommandOptionType,
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  InteractionType,
  Locale,
  MessageType,
  PermissionFlagsBits,
  RoleFlags,
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIAttachment,
  type APIChatInputApplicationCommandInteractionData,
  type APIInteraction,
  type APIInteractionDataResolved,
  type APIInteractionResponseCallbackData,
  type APIMessage,
  type APIMessageComponentInteractionData,
  type APIUser,
  type GatewayGuildCreateDispatchData,
} from 'discord.js';

/** Discord's epoch (2015-01-01) is the zero point of every snowflake's timestamp. */
const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeIncrement = 0n;

/** A fresh, increasing snowflake whose timestamp is now, so discord.js's `createdAt` values are sensible. */
export function snowflake(): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | snowflakeIncrement).toString();
}

/** Everything a member of the test guild may do in the test channel: the permissions of @everyone, no Manage Server. */
export const DEFAULT_MEMBER_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands;
/** Discord sends permissions as decimal strings. */
const MEMBER_PERMISSIONS = DEFAULT_MEMBER_PERMISSIONS.toString();

export function user(id: string, username: string, bot = false): APIUser {
  return { id, username, bot, discriminator: '0', global_name: null, avatar: null };
}

/** The one guild the bot is in, with one text channel and the @everyone role (whose id is the guild id). */
export function guildCreate(guildId: string, channelId: string, botUser: APIUser): GatewayGuildCreateDispatchData {
  return {
    id: guildId,
    name: 'Footnote test guild',
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: botUser.id,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    mfa_level: GuildMFALevel.None,
    nsfw_level: GuildNSFWLevel.Default,
    premium_tier: GuildPremiumTier.None,
    premium_progress_bar_enabled: false,
    hub_type: null,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    preferred_locale: Locale.EnglishUS,
    features: [],
    emojis: [],
    stickers: [],
    incidents_data: null,
    roles: [
      {
        id: guildId,
        name: '@everyone',
        color: 0,
        colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
        hoist: false,
        icon: null,
        unicode_emoji: null,
        position: 0,
        permissions: MEMBER_PERMISSIONS,
        managed: false,
        mentionable: false,
        flags: 0 as RoleFlags,
      },
    ],
    channels: [
      {
        id: channelId,
        type: ChannelType.GuildText,
        guild_id: guildId,
        name: 'reading-group',
        position: 0,
        permission_overwrites: [],
        parent_id: null,
        nsfw: false,
        topic: null,
        last_message_id: null,
        rate_limit_per_user: 0,
        default_auto_archive_duration: 1440,
        default_thread_rate_limit_per_user: 0,
      },
    ],
    joined_at: new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: 1,
    members: [],
    voice_states: [],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** Where an interaction happens and who triggers it. Omitting `guildId` means the test guild; `null` means a DM. */
export interface InteractionContext {
  userId?: string;
  username?: string;
  guildId?: string | null;
  channelId?: string;
  locale?: Locale;
  /**
   * The member's permissions in the channel (`member.permissions`); DEFAULT_MEMBER_PERMISSIONS when omitted.
   * Discord hides commands with default_member_permissions from members without them, but a server can
   * override that, so the bot must check: `DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild` is an admin.
   */
  permissions?: bigint;
  /** A `member.permissions` string sent as it is, valid or not: what a forged payload would carry. */
  rawPermissions?: string;
}

/** The part of an interaction that differs between commands, autocomplete and components. */
export type InteractionBody =
  | { type: InteractionType.ApplicationCommand | InteractionType.ApplicationCommandAutocomplete; data: APIChatInputApplicationCommandInteractionData }
  | { type: InteractionType.MessageComponent; data: APIMessageComponentInteractionData; message: APIMessage };

/** Everything besides the body that every interaction carries; the defaults describe the fake's own guild. */
export interface InteractionEnvelope {
  applicationId: string;
  guildId: string;
  channelId: string;
  context: InteractionContext;
}

export const DEFAULT_USER_ID = '1100000000000000010';
const DEFAULT_USERNAME = 'reader';

/**
 * A complete INTERACTION_CREATE payload. The fields discord.js insists on (version, entitlements,
 * authorizing_integration_owners, app_permissions, locale, a channel object) are all here.
 */
export function interaction(body: InteractionBody, envelope: InteractionEnvelope): APIInteraction {
  const { context } = envelope;
  const invoker = user(context.userId ?? DEFAULT_USER_ID, context.username ?? DEFAULT_USERNAME);
  const guildId = context.guildId === undefined ? envelope.guildId : context.guildId;
  const common = {
    id: snowflake(),
    token: `fake-interaction-token-${snowflake()}`,
    application_id: envelope.applicationId,
    version: 1 as const,
    app_permissions: MEMBER_PERMISSIONS,
    locale: context.locale ?? Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: {},
    attachment_size_limit: 10 * 1024 * 1024,
  };
  // In a DM the interaction names the user instead of a member; the user's id stands in for the DM channel's.
  const where =
    guildId === null
      ? { user: invoker, channel_id: context.channelId ?? invoker.id, channel: { id: context.channelId ?? invoker.id, type: ChannelType.DM } }
      : {
          guild_id: guildId,
          guild_locale: Locale.EnglishUS,
          channel_id: context.channelId ?? envelope.channelId,
          channel: { id: context.channelId ?? envelope.channelId, type: ChannelType.GuildText },
          member: {
            user: invoker,
            roles: [],
            permissions: context.rawPermissions ?? (context.permissions === undefined ? MEMBER_PERMISSIONS : context.permissions.toString()),
            joined_at: new Date(0).toISOString(),
            deaf: false,
            mute: false,
            flags: 0,
          },
        };
  // The union of interaction types is too wide for TypeScript to check this spread against; discord.js is the judge.
  return { ...common, ...where, ...body } as APIInteraction;
}

/** A file a test attaches to an attachment option; the fake serves its bytes at the attachment's `url`. */
export interface FakeAttachment {
  filename: string;
  bytes: Uint8Array | string;
  /** The MIME type Discord reports; guessed from the file name when omitted. */
  contentType?: string;
  /** Where the file is said to be, instead of the fake's own CDN: a server that misbehaves, say. */
  url?: string;
  /** The size Discord reports, when it is not the bytes' own (a server that lies about it). */
  size?: number;
}

/** What a test may pass as command options: plain values (or files) keyed by option name. */
export type CommandOptionValues = Record<string, string | number | boolean | FakeAttachment>;

export function isFakeAttachment(value: unknown): value is FakeAttachment {
  return typeof value === 'object' && value !== null && 'filename' in value && 'bytes' in value;
}

/**
 * Turns `{ name: 'Karasin' }` into Discord's option list. The option types come from the registered
 * command when there is one (so integers, numbers and users arrive typed as the bot declared them),
 * otherwise they are guessed from the JavaScript value.
 */
export function commandData(
  name: string,
  values: CommandOptionValues,
  registered: APIApplicationCommand | undefined,
  focused?: string,
  /** Stores an attached file and describes it as Discord does (`resolved.attachments`), with a URL the fake serves. */
  attach?: (file: FakeAttachment) => APIAttachment,
): APIChatInputApplicationCommandInteractionData {
  const resolved: APIInteractionDataResolved = {};
  const options = Object.entries(values).map(([optionName, given]): APIApplicationCommandInteractionDataBasicOption => {
    const declared = registered?.options?.find((option) => option.name === optionName);
    if (registered && !declared) {
      throw new Error(`/${name} has no option "${optionName}"; registered options: ${registered.options?.map((o) => o.name).join(', ') || 'none'}`);
    }
    const type = declared?.type ?? guessOptionType(given);
    let value: string | number | boolean;
    if (isFakeAttachment(given)) {
      if (type !== ApplicationCommandOptionType.Attachment) throw new Error(`/${name} option "${optionName}" takes no file`);
      if (!attach) throw new Error('commandData: attachments need an `attach` function');
      // The option's value is the attachment's id; the file itself is described in resolved.attachments.
      const attachment = attach(given);
      resolved.attachments = { ...resolved.attachments, [attachment.id]: attachment };
      value = attachment.id;
    } else value = given;
    if (type === ApplicationCommandOptionType.User) {
      resolved.users = { ...resolved.users, [String(value)]: user(String(value), `user-${String(value)}`) };
    }
    // Autocomplete marks the option the user is typing in; Discord only ever focuses one.
    const focus = optionName === focused ? { focused: true } : {};
    return { name: optionName, type, value, ...focus } as APIApplicationCommandInteractionDataBasicOption;
  });
  return {
    id: registered?.id ?? snowflake(),
    name,
    type: 1,
    options,
    ...(registered?.guild_id ? { guild_id: registered.guild_id } : {}),
    ...(resolved.users || resolved.attachments ? { resolved } : {}),
  };
}

function guessOptionType(value: string | number | boolean | FakeAttachment): ApplicationCommandOptionType {
  if (isFakeAttachment(value)) return ApplicationCommandOptionType.Attachment;
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
  return ApplicationCommandOptionType.String;
}

/** A message someone posted in the channel, as a test describes it: its text, and what else it carries. */
export interface ChannelMessage {
  content?: string;
  author?: APIUser;
  /** Users it mentions (their ids also appear as `<@id>` in the content, as Discord writes them). */
  mentions?: APIUser[];
  mentionEveryone?: boolean;
  mentionRoles?: string[];
  attachments?: APIAttachment[];
  stickers?: Array<{ id: string; name: string; format_type: number }>;
  embeds?: APIMessage['embeds'];
}

/** The data of a message context-menu command (type 3) run on `target`: Discord resolves the message in the payload. */
export function messageCommandData(name: string, target: APIMessage, registered: APIApplicationCommand | undefined) {
  return {
    id: registered?.id ?? snowflake(),
    name,
    type: 3,
    target_id: target.id,
    resolved: { messages: { [target.id]: target } },
    ...(registered?.guild_id ? { guild_id: registered.guild_id } : {}),
  };
}

/** A message of another member in the channel, as Discord sends it in `resolved.messages`. */
export function channelMessage(posted: ChannelMessage, channelId: string, guildId: string | undefined): APIMessage {
  return {
    id: snowflake(),
    type: MessageType.Default,
    channel_id: channelId,
    ...(guildId ? { guild_id: guildId } : {}),
    author: posted.author ?? user('555555555555555555', 'claimant'),
    content: posted.content ?? '',
    embeds: posted.embeds ?? [],
    components: [],
    attachments: posted.attachments ?? [],
    mentions: posted.mentions ?? [],
    mention_roles: posted.mentionRoles ?? [],
    mention_everyone: posted.mentionEveryone ?? false,
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    ...(posted.stickers && { sticker_items: posted.stickers }),
  } as APIMessage;
}

/** Where a message the bot sends through an interaction lives, and who it is from. */
export interface MessageOrigin {
  channelId: string;
  guildId: string | undefined;
  author: APIUser;
  applicationId: string;
}

/**
 * The Message object Discord returns for interaction responses, edits and follow-ups. discord.js turns
 * it into a `Message`, so `editReply()` and `followUp()` resolve with something real.
 */
export function message(id: string, body: APIInteractionResponseCallbackData, origin: MessageOrigin): APIMessage {
  return {
    id,
    type: MessageType.ChatInputCommand,
    channel_id: origin.channelId,
    ...(origin.guildId ? { guild_id: origin.guildId } : {}),
    author: origin.author,
    content: body.content ?? '',
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: body.tts ?? false,
    ...(body.flags ? { flags: body.flags } : {}),
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    webhook_id: origin.applicationId,
    application_id: origin.applicationId,
  };
}
