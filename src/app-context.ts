import { teamStatusFrame } from "./inbox/team-status.tsx";
import { QueueDrainer } from "./assignment/queue-drainer.ts";
import { onlineAgents, type OnlineAgents } from "./availability/online-agents.ts";
import { accountTimeZone } from "./analytics/time-zone.ts";
import { loginThrottleIn, loginThrottlePolicy, type LoginThrottle } from "./auth/login-throttle.ts";
import { filesOf } from "./files/files-of.ts";
import type { Config } from "./config.ts";
import { RowPublisher } from "./conversations/row-publisher.ts";
import { QueuePlaces } from "./conversations/queue-places.ts";
import type { ConversationDeps } from "./conversations/service.ts";
import type { Database, Db } from "./db/database.ts";
import { smtpMailer, type Mailer } from "./mail/mailer.ts";
import type { InviteDeps } from "./invites/service.ts";
import { JobHandlers } from "./jobs/handlers.ts";
import { JobWorker } from "./jobs/worker.ts";
import { InboxSeen } from "./inbox/inbox-seen.ts";
import { socketCaps, type SocketCaps } from "./limits/socket-cap.ts";
import type { Logger } from "./log/logger.ts";
import { noMetrics, type Metrics } from "./metrics/metrics.ts";
import { DeliverySweeper } from "./messages/delivery-sweeper.tsx";
import type { Clock } from "./realtime/clock.ts";
import { PresenceAnnouncer } from "./realtime/presence-announcer.ts";
import type { Realtime, RealtimeServices } from "./realtime/realtime.ts";
import type { RedisProbe } from "./realtime/redis.ts";
import type { SocketRegistry } from "./realtime/socket-registry.ts";
import { widgetFrames } from "./widget/frames.ts";
import type { WidgetDeps } from "./widget/service.ts";

/** The app's per-process services that are not realtime's. */
export interface AppServices {
  /** Sign-in attempts, counted in the rate limits' store (one Redis client for both). */
  loginThrottle: LoginThrottle;
  /** Open WebSockets per client address, counted on this instance (see socket-cap.ts for why). */
  socketCaps: SocketCaps;
  /** null without SMTP_URL: invite links are shown to the admin instead. */
  mailer: Mailer | null;
  /** Catches up this instance's readers on messages the bus lost (ARCHITECTURE §4). */
  sweeper: DeliverySweeper;
  /** Coalesces the inbox's list-row pushes. */
  rows: RowPublisher;
  /** Coalesces telling waiting customers their places. */
  queuePlaces: QueuePlaces;
  /** Agents connected and set to Online: who the widget and round-robin count as there. */
  onlineAgents: OnlineAgents;
  /** Round-robin assignment, run when a conversation waits or an agent has room (src/assignment). */
  queueDrainer: QueueDrainer;
  /** Tells the widgets whether any agent is online. */
  presenceAnnouncer: PresenceAnnouncer;
  /** What each kind of job runs; the worker claims only kinds registered here. */
  jobHandlers: JobHandlers;
  /** Runs due jobs from the jobs table (ARCHITECTURE §9). */
  jobWorker: JobWorker;
  /** Records when agents had an inbox open (agents.inbox_seen_at), for the email alerts. */
  inboxSeen: InboxSeen;
}

export interface AppServicesHandle {
  services: AppServices;
  /** Once the server listens (after Realtime.attach): the sweeper starts watching, the job worker claiming. */
  start(): void;
  /** Before Realtime.close(): what these services use of it must still be open. */
  close(): Promise<void>;
}

/**
 * Builds the AppServices once per process (boot.ts, or a test) on realtime's bus and presence,
 * counting sign-ins in realtime's limiter store. This is where the domain pieces meet realtime:
 * src/realtime itself knows no domain.
 */
/** Clocks for the timed services; each is the real clock unless a test passes its own. */
export interface ServiceClocks {
  sweeper?: Clock;
  rows?: Clock;
  queuePlaces?: Clock;
  /** The job worker's; also the email alerts' (they compare agents.inbox_seen_at, written on it, with its now). */
  jobs?: Clock;
}

export function createAppServices(
  config: Pick<Config, "smtp" | "limits">,
  realtime: Pick<Realtime, "services" | "limiterStore">,
  db: Db,
  log: Logger,
  clocks: ServiceClocks = {},
  metrics: Metrics = noMetrics,
): AppServicesHandle {
  const { bus, presence } = realtime.services;
  const loginThrottle = loginThrottleIn(realtime.limiterStore, log, loginThrottlePolicy(config.limits), () => metrics.refused("login"));
  // nodemailer's transport is made once: a small pool of SMTP connections, reused between emails.
  const mailer = smtpMailer(config.smtp, metrics);
  const sweeper = new DeliverySweeper({ db, bus, log, clock: clocks.sweeper, metrics });
  const online = onlineAgents(db, presence);
  const onlineCount = async () => (await online.ids()).size;
  const presenceAnnouncer = new PresenceAnnouncer({ onlineCount, bus, log, teamFrame: teamStatusFrame }, widgetFrames.presence);
  const queueDrainer = new QueueDrainer({ log, onlineAgentIds: online.ids });
  const jobHandlers = new JobHandlers();
  const jobWorker = new JobWorker({ db, log, handlers: jobHandlers, clock: clocks.jobs });
  const inboxSeen = new InboxSeen({ db, log, clock: clocks.jobs });
  return {
    services: { loginThrottle, socketCaps: socketCaps(config.limits, (limit) => metrics.refused(limit)), mailer, sweeper, rows: new RowPublisher({ db, bus, log, clock: clocks.rows }), queuePlaces: new QueuePlaces({ db, bus, log, clock: clocks.queuePlaces }), onlineAgents: online, queueDrainer, presenceAnnouncer, jobHandlers, jobWorker, inboxSeen },
    start() {
      sweeper.start();
      jobWorker.start();
      inboxSeen.start();
    },
    async close() {
      await queueDrainer.stop();
      sweeper.stop();
      inboxSeen.stop();
      await inboxSeen.settled();
      // A job cut off here is claimed again when its lease runs out.
      jobWorker.stop();
      await jobWorker.drain(1000);
      presenceAnnouncer.stop();
      mailer?.close();
      await loginThrottle.close();
    },
  };
}

/**
 * What the routes need from the running process; built once by boot.ts (or by a test). The
 * realtime services (bus, presence, limits, sweeper...) are in-process, or in Redis with REDIS_URL.
 */
export interface AppContext extends RealtimeServices, AppServices {
  config: Config;
  database: Database;
  log: Logger;
  /** The Prometheus instruments (src/metrics): one registry per app, served at /metrics. */
  metrics: Metrics;
  sessionSecret: string;
  /** null without REDIS_URL. */
  redis: RedisProbe | null;
  sockets: SocketRegistry;
}

export function conversationDeps(ctx: AppContext): ConversationDeps {
  const deps: ConversationDeps = {
    db: ctx.database.db,
    bus: ctx.bus,
    rows: ctx.rows,
    queuePlaces: ctx.queuePlaces,
    metrics: ctx.metrics,
    fileLinks: filesOf(ctx).links,
    replyEmails: { enabled: ctx.mailer !== null, delaySecondsOverride: ctx.config.email.replyDelaySecondsOverride, clock: ctx.jobWorker.clock },
    queueDrain: () => ctx.queueDrainer.kick(deps),
  };
  return deps;
}

export function inviteDeps(ctx: AppContext): InviteDeps {
  return { db: ctx.database.db, log: ctx.log, mailer: ctx.mailer, publicUrl: ctx.config.publicUrl };
}

export function widgetDeps(ctx: AppContext): WidgetDeps {
  return {
    db: ctx.database.db,
    sessionSecret: ctx.sessionSecret,
    onlineAgentIds: () => ctx.onlineAgents.ids(),
    accountZone: () => accountTimeZone(ctx),
    emailConfigured: ctx.mailer !== null,
    fileLinks: filesOf(ctx).links,
  };
}
