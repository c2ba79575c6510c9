import { HEX_COLOR, type InboxSettingsErrors, type InboxSettingsValues } from "../../src/inboxes/model.ts";
import { Field, fieldAria } from "../components/form-field.tsx";
import { RadioGroup } from "./radio-group.tsx";

/** Colour (a text field, with a picker that public/settings.js shows) and the chat button's side. */
export function AppearanceSection(props: { values: Pick<InboxSettingsValues, "color" | "position">; errors: InboxSettingsErrors["fields"] }) {
  const { values, errors: e } = props;
  const pickerColor = HEX_COLOR.test(values.color.trim()) ? values.color.trim().toLowerCase() : "#2563eb";
  return (
    <section class="card" aria-labelledby="appearance-heading">
      <h2 id="appearance-heading">Appearance</h2>
      <Field
        id="color"
        label="Colour"
        hint="The chat window's accent colour, as # and six hex digits, like #2563eb. Text on it turns dark or light to stay readable."
        error={e.color}
      >
        <div class="color-inputs">
          {/* The text field is what is posted; the picker (shown by settings.js) fills it in. */}
          <input type="color" id="color-picker" value={pickerColor} aria-label="Pick the colour" data-color-picker hidden />
          <input
            id="color"
            name="color"
            type="text"
            value={values.color}
            maxlength="7"
            spellcheck="false"
            autocapitalize="off"
            {...fieldAria("color", e.color, "color-hint")}
            data-color-text
          />
        </div>
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
