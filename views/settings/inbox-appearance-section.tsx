import type { InboxSettingsErrors, InboxSettingsValues } from "../../src/inboxes/model.ts";
import { Field, fieldAria } from "../components/form-field.tsx";
import { RadioGroup } from "./radio-group.tsx";

/** Colour (the browser's colour picker, which posts # and six hex digits) and the chat button's side. */
export function AppearanceSection(props: { values: Pick<InboxSettingsValues, "color" | "position">; errors: InboxSettingsErrors["fields"] }) {
  const { values, errors: e } = props;
  return (
    <section class="card" aria-labelledby="appearance-heading">
      <h2 id="appearance-heading">Appearance</h2>
      <Field id="color" label="Colour" hint="The chat window's accent colour. Text on it turns dark or light to stay readable." error={e.color}>
        {/* The server still checks the value (a post need not come from this page). */}
        <input id="color" name="color" type="color" value={values.color.trim().toLowerCase()} {...fieldAria("color", e.color, "color-hint")} />
      </Field>
      <RadioGroup
        name="position"
        legend="Chat button position"
        value={values.position}
        error={e.position}
        options={[
          { value: "right", label: "Bottom right" },
          { value: "left", label: "Bottom left" },
        ]}
      />
    </section>
  );
}
