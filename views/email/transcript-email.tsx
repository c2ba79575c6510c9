import type { Transcript } from "../../src/mail/transcript-text.ts";
import { safeEmailBodyHtml } from "../../src/messages/render-body.ts";
import { EmailLayout } from "./email-layout.tsx";

/**
 * The transcript email's HTML part: every message with who and when; the customer's own set apart.
 * Everything typed is escaped; bodies are rendered as the chat shows them (links, the Markdown subset).
 */
export function TranscriptEmail({ t }: { t: Transcript }) {
  return (
    <EmailLayout lang={t.locale} title={t.subject} footer={<span safe>{t.footer}</span>}>
      <p style="margin:0 0 16px" safe>
        {t.intro}
      </p>
      {t.omitted ? (
        <p style="margin:0 0 16px;color:#52525b" safe>
          {t.omitted}
        </p>
      ) : (
        ""
      )}
      {t.lines.map((line) => (
        <div style={`margin:0 0 14px;padding:8px 12px 0;border-radius:8px;background:${line.mine ? "#eff6ff" : "#f4f4f5"}`}>
          <p style="margin:0 0 4px;font-size:12px;color:#52525b">
            <strong safe>{line.who}</strong> · <span safe>{line.when}</span>
          </p>
          <div style="overflow-wrap:anywhere">{safeEmailBodyHtml(line.body)}</div>
        </div>
      ))}
    </EmailLayout>
  );
}
