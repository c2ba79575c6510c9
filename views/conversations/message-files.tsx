import { humanSize, isInlineImage, type StoredFile } from "../../src/files/model.ts";
import { agentFileUrl } from "../../src/files/links.ts";

/**
 * A message's files in the agent's transcript: raster images inline (a link to the full size
 * around each), anything else as a download link with its size. Names are the uploader's: escaped.
 */
export function MessageFiles(props: { files: StoredFile[] }) {
  return (
    <ul class="message-files">
      {props.files.map((file) =>
        isInlineImage(file.type) ? (
          <li class="message-file message-image">
            <a href={agentFileUrl(file)} target="_blank" rel="noopener">
              <img src={agentFileUrl(file)} alt={file.name} loading="lazy" />
            </a>
          </li>
        ) : (
          <li class="message-file">
            <a href={agentFileUrl(file)} download={file.name}>
              <span class="message-file-name" safe>
                {file.name}
              </span>
            </a>{" "}
            <span class="message-file-size" safe>
              {humanSize(file.size)}
            </span>
          </li>
        ),
      )}
    </ul>
  );
}
