// What the invite tests share: the first admin signed in, an invite made through the team page,
// and a mail server that keeps what it was sent.
import { cookieFrom, type TestApp } from "../testing/test-app.ts";

export const ADMIN = { name: "Ana Admin", email: "ana@example.com", password: "correct horse" };
/** The page with every attribute value blanked: what is left is markup and text (attribute values are escaped, quotes included). */
export const outsideAttributes = (html: string) => html.replace(/"[^"]*"/g, '""');
export const LINK = /http:\/\/localhost:3000\/invites\/([A-Za-z0-9_-]{43})/;

export async function setUpAdmin(t: TestApp): Promise<string> {
  await t.post("/setup", ADMIN);
  return cookieFrom(await t.post("/login", { email: ADMIN.email, password: ADMIN.password }), "sd_session")!;
}

export async function invite(t: TestApp, admin: string, email: string, role = "agent") {
  const res = await t.post("/settings/agents/invites", { email, role }, { cookie: admin });
  const page = await res.text();
  return { res, page, token: LINK.exec(page)?.[1] ?? null };
}

/** A mail server that speaks just enough SMTP for nodemailer, and keeps what it was sent. */
export function fakeSmtpServer() {
  const received: { from: string; to: string[]; data: string }[] = [];
  type State = { buf: string; inData: boolean; from: string; to: string[]; data: string };
  const server = Bun.listen<State>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(s) {
        s.data = { buf: "", inData: false, from: "", to: [], data: "" };
        s.write("220 fake.example ESMTP\r\n");
      },
      data(s, chunk) {
        const st = s.data;
        st.buf += chunk.toString("latin1");
        let i: number;
        while ((i = st.buf.indexOf("\r\n")) >= 0) {
          const line = st.buf.slice(0, i);
          st.buf = st.buf.slice(i + 2);
          if (st.inData) {
            if (line === ".") {
              received.push({ from: st.from, to: st.to, data: st.data });
              st.inData = false;
              st.to = [];
              st.data = "";
              s.write("250 2.0.0 queued\r\n");
            } else st.data += `${line.startsWith("..") ? line.slice(1) : line}\n`;
            continue;
          }
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === "EHLO") s.write("250-fake.example\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n");
          else if (verb === "HELO") s.write("250 fake.example\r\n");
          else if (verb === "AUTH") s.write("235 2.7.0 ok\r\n");
          else if (verb === "MAIL") {
            st.from = line;
            s.write("250 ok\r\n");
          } else if (verb === "RCPT") {
            st.to.push(/<([^>]*)>/.exec(line)?.[1] ?? line);
            s.write("250 ok\r\n");
          } else if (verb === "DATA") {
            st.inData = true;
            s.write("354 go ahead\r\n");
          } else if (verb === "QUIT") {
            s.write("221 bye\r\n");
            s.end();
          } else s.write("250 ok\r\n");
        }
      },
    },
  });
  return { port: server.port, received, stop: () => server.stop(true) };
}
