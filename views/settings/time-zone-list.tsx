import { knownTimeZones } from "../../src/account/model.ts";

/**
 * The zones a time zone field suggests while typing (its input's `list`): every IANA zone the
 * server knows (Intl.supportedValuesOf), so a search by city ("Berlin") finds "Europe/Berlin".
 */
export function TimeZoneList(props: { id: string; zones?: string[] }) {
  return (
    <datalist id={props.id}>
      {(props.zones ?? knownTimeZones()).map((zone) => (
        <option value={zone} />
      ))}
    </datalist>
  );
}
