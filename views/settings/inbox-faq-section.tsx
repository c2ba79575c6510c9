import { LIMITS, type InboxSettingsErrors, type InboxSettingsValues } from "../../src/inboxes/model.ts";
import { Field, fieldAria, FieldError } from "../components/form-field.tsx";

/**
 * One FAQ row. `rowKey` makes the ids unique; the browser script clones the blank row from the
 * <template> and gives it a fresh key (public/settings.js).
 */
function FaqRow(props: { rowKey: string; number: number | null; keywords: string; answer: string; errors?: { keywords?: string; answer?: string } }) {
  const base = `faq-${props.rowKey}`;
  const errors = props.errors ?? {};
  const title = props.number === null ? "New question" : `Question ${props.number}`;
  return (
    <fieldset class="faq-row" data-faq-row>
      <legend data-faq-title safe>
        {title}
      </legend>
      {/* The keywords' hint is said once above the rows: every row points to it. */}
      <Field id={`${base}-keywords`} label="Keywords (comma-separated)" error={errors.keywords}>
        <input
          id={`${base}-keywords`}
          name="faqKeywords"
          type="text"
          value={props.keywords}
          {...fieldAria(`${base}-keywords`, errors.keywords, "faq-keywords-hint")}
        />
      </Field>
      <Field id={`${base}-answer`} label="Answer" error={errors.answer}>
        <textarea
          id={`${base}-answer`}
          name="faqAnswer"
          rows="3"
          maxlength={String(LIMITS.faqAnswer)}
          {...fieldAria(`${base}-answer`, errors.answer)}
          safe
        >
          {props.answer}
        </textarea>
      </Field>
      {/* Shown by public/settings.js; without it, clearing both fields removes the question. */}
      <button type="button" class="link-button faq-remove" data-faq-remove hidden>
        Remove <span data-faq-remove-label safe>{title.toLowerCase()}</span>
      </button>
    </fieldset>
  );
}

/** The FAQ card: a row per question, one blank row (so that a question can be added without JavaScript), and the template public/settings.js clones. */
export function FaqSection(props: { faq: InboxSettingsValues["faq"]; errors: InboxSettingsErrors }) {
  const { faq, errors } = props;
  const e = errors.fields;
  return (
    <section class="card" aria-labelledby="faq-heading">
      <h2 id="faq-heading">Bot answers (FAQ)</h2>
      <p class="hint" id="faq-keywords-hint" safe>
        {`In bot-first mode, a customer message that mentions a keyword (a whole word or phrase, any case) gets that answer. Up to ${LIMITS.faqEntries} questions, ${LIMITS.faqKeywords} keywords each.`}
      </p>
      <FieldError id="faq-error" message={e.faq} />
      <div class="faq-rows" data-faq-rows data-faq-max={String(LIMITS.faqEntries)} aria-describedby={e.faq ? "faq-error" : undefined}>
        {faq.map((row, i) => (
          <FaqRow rowKey={String(i)} number={i + 1} keywords={row.keywords} answer={row.answer} errors={errors.faqRows[i]} />
        ))}
        {/* One blank row, so that a question can be added without JavaScript too. */}
        <FaqRow rowKey={String(faq.length)} number={faq.length + 1} keywords="" answer="" />
      </div>
      <template id="faq-row-template">
        <FaqRow rowKey="new" number={null} keywords="" answer="" />
      </template>
      <button type="button" class="button" data-faq-add hidden>
        Add a question
      </button>
    </section>
  );
}
