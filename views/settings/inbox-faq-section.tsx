import { LIMITS, type InboxSettingsErrors, type InboxSettingsValues } from "../../src/inboxes/model.ts";
import { Field, fieldAria, FieldError } from "../components/form-field.tsx";

type FaqRowValues = InboxSettingsValues["faq"][number];
type FaqRowErrors = InboxSettingsErrors["faqRows"][number];

/** What the FAQ rows need to know to render (the page, or POST /settings/inboxes/:id/faq). */
export interface FaqRowsProps {
  rows: FaqRowValues[];
  errors?: InboxSettingsErrors["faqRows"];
  /** Where Add and Remove post the form (htmx), to get the rows back. */
  faqUrl: string;
  /** Rendered for htmx: the Remove buttons are shown (settings.js shows those of the page). */
  scripted?: boolean;
  /** After Add or Remove: which control takes the focus (htmx focuses [autofocus] in a swap). */
  focus?: { row: number; on: "keywords" | "remove" };
}

/** One FAQ row; ids from its index, since the server renders all rows at once, numbered. */
function FaqRow(props: { index: number; row: FaqRowValues; errors?: FaqRowErrors; faqUrl: string; scripted?: boolean; focus?: "keywords" | "remove" }) {
  const base = `faq-${props.index}`;
  const errors = props.errors ?? {};
  const title = `Question ${props.index + 1}`;
  return (
    <fieldset class="faq-row">
      <legend safe>{title}</legend>
      {/* The keywords' hint is said once above the rows: every row points to it. */}
      <Field id={`${base}-keywords`} label="Keywords (comma-separated)" error={errors.keywords}>
        <input
          id={`${base}-keywords`}
          name="faqKeywords"
          type="text"
          value={props.row.keywords}
          autofocus={props.focus === "keywords"}
          {...fieldAria(`${base}-keywords`, errors.keywords, "faq-keywords-hint")}
        />
      </Field>
      <Field id={`${base}-answer`} label="Answer" error={errors.answer}>
        <textarea id={`${base}-answer`} name="faqAnswer" rows="3" maxlength={String(LIMITS.faqAnswer)} {...fieldAria(`${base}-answer`, errors.answer)} safe>
          {props.row.answer}
        </textarea>
      </Field>
      {/* Posts the form without this row and gets the rows back, renumbered. Without JavaScript
          it is hidden: clearing both fields removes the question on save. */}
      <button
        type="button"
        class="link-button faq-remove"
        data-needs-script
        hidden={!props.scripted}
        autofocus={props.focus === "remove"}
        hx-post={props.faqUrl}
        hx-vals={JSON.stringify({ faqRemove: String(props.index) })}
        hx-target="#faq-rows"
        hx-swap="innerHTML"
        safe
      >
        {`Remove ${title.toLowerCase()}`}
      </button>
    </fieldset>
  );
}

/** The rows (the inside of #faq-rows): what the page shows, and what Add and Remove get back. */
export function FaqRows(props: FaqRowsProps) {
  return (
    <>
      {props.rows.map((row, i) => (
        <FaqRow
          index={i}
          row={row}
          errors={props.errors?.[i]}
          faqUrl={props.faqUrl}
          scripted={props.scripted}
          focus={props.focus?.row === i ? props.focus.on : undefined}
        />
      ))}
    </>
  );
}

/** The FAQ card: a row per question and one blank row (so that a question can be added without JavaScript), and Add. */
export function FaqSection(props: { faq: InboxSettingsValues["faq"]; errors: InboxSettingsErrors; faqUrl: string }) {
  const { faq, errors } = props;
  const e = errors.fields;
  return (
    <section class="card" aria-labelledby="faq-heading">
      <h2 id="faq-heading">Bot answers (FAQ)</h2>
      <p class="hint" id="faq-keywords-hint" safe>
        {`In bot-first mode, a customer message that mentions a keyword (a whole word or phrase, any case) gets that answer. Up to ${LIMITS.faqEntries} questions, ${LIMITS.faqKeywords} keywords each.`}
      </p>
      <FieldError id="faq-error" message={e.faq} />
      <div class="faq-rows" id="faq-rows" aria-describedby={e.faq ? "faq-error" : undefined}>
        <FaqRows rows={[...faq, { keywords: "", answer: "" }]} errors={errors.faqRows} faqUrl={props.faqUrl} />
      </div>
      {/* The server's refusal past LIMITS.faqEntries lands here (422). */}
      <p class="field-error" id="faq-add-error" role="status"></p>
      <button
        type="button"
        class="button"
        data-needs-script
        hidden
        hx-post={props.faqUrl}
        hx-vals={JSON.stringify({ faqAdd: "1" })}
        hx-target="#faq-rows"
        hx-swap="innerHTML"
        {...{ "hx-status:422": "target:#faq-add-error swap:innerHTML" }}
      >
        Add a question
      </button>
    </section>
  );
}

/** The answer to Add or Remove: the rows, and an emptied refusal message (out of band). */
export function FaqRowsUpdate(props: FaqRowsProps) {
  return (
    <>
      <FaqRows {...props} scripted />
      <p class="field-error" id="faq-add-error" role="status" hx-swap-oob="true"></p>
    </>
  );
}
