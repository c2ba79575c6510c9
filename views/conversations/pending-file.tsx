import { humanSize, type StoredFile } from "../../src/files/model.ts";

/**
 * A file uploaded for the reply being written: sent with it (the hidden `files` field), or taken
 * off by its button (public/composer-files.js). The upload's answer, and the refused form's chips.
 */
export function PendingFile(props: { file: StoredFile }) {
  const { file } = props;
  return (
    <li class="pending-file" data-file-id={file.id}>
      <input type="hidden" name="files" value={file.id} />
      <span class="pending-file-name" safe>
        {file.name}
      </span>{" "}
      <span class="pending-file-size" safe>
        {humanSize(file.size)}
      </span>
      <button type="button" class="pending-file-remove" data-remove-file aria-label={`Remove ${file.name}`}>
        ×
      </button>
    </li>
  );
}
