/**
 * Reads a multipart upload: the one `file` part into memory up to the size cap (the image has to be
 * decoded whole anyway), and the text fields, in whatever order the client sent them. Going over
 * the cap stops reading at once: 413, and nothing has been stored.
 */
import type { FastifyRequest } from 'fastify';
import { errors } from '../../platform/http/errors.ts';

export interface ReadUpload {
  data: Buffer;
  filename: string | undefined;
  fields: Record<string, string>;
}

const isTooLarge = (err: unknown) => (err as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE';

export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<ReadUpload> {
  if (!request.isMultipart()) throw errors.unsupportedMediaType('Send the image as multipart/form-data with a `file` part.');
  const fields: Record<string, string> = {};
  let file: { data: Buffer; filename: string | undefined } | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 4096, parts: 12 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          part.file.resume();
          throw errors.validation([{ path: part.fieldname, message: 'only one file, in the `file` field' }]);
        }
        const chunks: Buffer[] = [];
        for await (const chunk of part.file) chunks.push(chunk as Buffer);
        if (part.file.truncated) throw errors.payloadTooLarge(`The file is larger than ${maxBytes} bytes.`);
        file = { data: Buffer.concat(chunks), filename: part.filename };
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    if (isTooLarge(err)) throw errors.payloadTooLarge(`The file is larger than ${maxBytes} bytes.`);
    throw err;
  }
  if (!file) throw errors.validation([{ path: 'file', message: 'required' }]);
  if (file.data.length === 0) throw errors.unsupportedMediaType('The file is empty.');
  return { ...file, fields };
}
