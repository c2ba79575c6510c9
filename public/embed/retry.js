// When the widget tries its socket again (connection.js). bench/sockets/widget-fleet.ts imports
// this module, so the reconnect-storm bench's clients keep the very same schedule.

/**
 * `connectTimeoutMs`: a socket that has not opened by then is closed and tried again after
 * `retryDelay`. Without it, an attempt whose SYN (or handshake ACK) a busy server's full listen
 * queue dropped waits out TCP's own retransmissions, 1, 3, 7, 15, 31 s... after the first, with no
 * jitter. 8 s lets the first three retransmissions through: an attempt given up while it waits in
 * the server's queue still reaches the server, which then holds a socket nobody uses until its
 * 10 s auth timeout (3 s did that to thousands in bench/reconnect-storm.ts). A test may shorten it.
 */
export const timing = { connectTimeoutMs: 8000 };

/**
 * The wait before the next attempt, `failures` attempts since the last `ready`: random in
 * [0, min(30 s, 0.5 s × 2^failures)). After an abnormal close (1006: the server went away, or the
 * attempt failed) the window is at least 2 s: every client of a killed instance comes back at
 * once, and 2 s spreads them four times thinner than 0.5 s, for a first retry that is 0.75 s
 * later on average when only one client lost its way.
 */
export function retryDelay(failures, abnormal) {
  const window = Math.min(30000, 500 * 2 ** failures);
  return Math.random() * (abnormal ? Math.max(2000, window) : window);
}
