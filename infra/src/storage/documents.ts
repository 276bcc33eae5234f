import * as fs from 'node:fs';
import * as path from 'node:path';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { AssetType, Fn, TerraformAsset, TerraformIterator } from 'cdktf';
import { Construct } from 'constructs';

export interface DocumentFile {
  /** Path relative to the documents folder, with "/" separators. */
  readonly relativePath: string;
  readonly contentType: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
};

function contentTypeOf(fileName: string): string {
  return CONTENT_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Every regular file under `dir`, subfolders included, sorted; hidden files (".DS_Store",
 * ".gitkeep") are skipped. A missing folder has no documents.
 */
export function listDocuments(dir: string): DocumentFile[] {
  if (!fs.existsSync(dir)) return [];
  const files: DocumentFile[] = [];
  const walk = (relativeDir: string): void => {
    const entries = fs.readdirSync(path.join(dir, relativeDir), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const relativePath = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(relativePath);
      else if (entry.isFile()) files.push({ relativePath, contentType: contentTypeOf(entry.name) });
    }
  };
  walk('');
  return files.sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1));
}

export interface DocumentUploadProps {
  readonly dir: string;
  readonly files: readonly DocumentFile[];
  readonly bucket: string;
  readonly keyPrefix: string;
}

/**
 * Uploads the sample documents as one `aws_s3_object` keyed by S3 key, so adding a file
 * adds one object and renaming one replaces only that object. The folder is copied into
 * the synth output as an asset, so the Terraform JSON applies from any machine.
 */
export class DocumentUpload extends Construct {
  constructor(scope: Construct, id: string, props: DocumentUploadProps) {
    super(scope, id);
    // A fixed asset hash keeps every object's `source` path stable, so that a changed
    // file re-uploads that object only (its source_hash changes), not the whole folder.
    const asset = new TerraformAsset(this, 'files', {
      path: path.resolve(props.dir),
      type: AssetType.DIRECTORY,
      assetHash: 'current',
    });
    const byKey = Object.fromEntries(
      props.files.map((file) => [
        `${props.keyPrefix}${file.relativePath}`,
        { file: file.relativePath, contentType: file.contentType },
      ]),
    );
    const each = TerraformIterator.fromMap(byKey);
    const source = `${asset.path}/${each.getString('file')}`;
    new S3Object(this, 'object', {
      forEach: each,
      bucket: props.bucket,
      key: each.key,
      source,
      sourceHash: Fn.filemd5(source),
      contentType: each.getString('contentType'),
    });
  }
}
