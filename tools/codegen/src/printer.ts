import {
  type CodeBlockWriter,
  IndentationText,
  Project,
  QuoteKind,
  type SourceFile,
  StructureKind,
  VariableDeclarationKind,
} from 'ts-morph';

/** Writes the statements of a function body, one line or block at a time. */
export interface BodyWriter {
  /** Appends one line. */
  line(text: string): BodyWriter;
  /** Appends `head {`, the lines `inner` writes, and `}`. */
  block(head: string, inner: () => void): BodyWriter;
}

/** A property of a generated interface. */
export interface PropertySpec {
  readonly name: string;
  readonly type: string;
  readonly optional?: boolean;
  readonly docs?: readonly string[];
}

/** A parameter of a generated function. */
export interface ParameterSpec {
  readonly name: string;
  readonly type: string;
  readonly initializer?: string;
}

/**
 * One generated TypeScript file. Emitters describe declarations through this small interface;
 * only the printer touches ts-morph, which assembles and formats the file.
 */
export class GeneratedFile {
  private readonly source: SourceFile;
  private readonly header: string;

  constructor(project: GeneratedProject, path: string, header: string) {
    this.source = project.create(path);
    this.header = header;
  }

  /** Adds `import { names } from 'from'` (as `import type` when `typeOnly`). */
  import(from: string, names: readonly string[], typeOnly = false): void {
    this.source.addImportDeclaration({
      moduleSpecifier: from,
      namedImports: [...names],
      isTypeOnly: typeOnly,
    });
  }

  /** Adds an exported interface. */
  interface(name: string, docs: readonly string[], properties: readonly PropertySpec[]): void {
    this.source.addInterface({
      name,
      isExported: true,
      docs: docsOf(docs),
      properties: properties.map((p) => ({
        name: p.name,
        type: p.type,
        hasQuestionToken: p.optional ?? false,
        isReadonly: true,
        docs: docsOf(p.docs ?? []),
      })),
    });
  }

  /** Adds an exported type alias. */
  typeAlias(name: string, docs: readonly string[], type: string): void {
    this.source.addTypeAlias({ name, isExported: true, docs: docsOf(docs), type });
  }

  /** Adds a `const`, exported unless `exported` is false. */
  constant(
    name: string,
    docs: readonly string[],
    initializer: string,
    type?: string,
    exported = true,
  ): void {
    this.source.addVariableStatement({
      isExported: exported,
      declarationKind: VariableDeclarationKind.Const,
      docs: docsOf(docs),
      declarations: [{ name, initializer, ...(type === undefined ? {} : { type }) }],
    });
  }

  /** Adds an exported function whose body `body` writes. */
  function(
    name: string,
    docs: readonly string[],
    parameters: readonly ParameterSpec[],
    returnType: string,
    body: (w: BodyWriter) => void,
  ): void {
    this.source.addFunction({
      kind: StructureKind.Function,
      name,
      isExported: true,
      docs: docsOf(docs),
      parameters: parameters.map((p) => ({
        name: p.name,
        type: p.type,
        ...(p.initializer === undefined ? {} : { initializer: p.initializer }),
      })),
      returnType,
      statements: (writer) => body(bodyWriter(writer)),
    });
  }

  /** The formatted text of the file. */
  text(): string {
    this.source.formatText({ indentSize: 2, convertTabsToSpaces: true });
    return `${this.header}\n${this.source.getFullText()}`;
  }
}

/** The in-memory ts-morph project that holds every generated file. */
export class GeneratedProject {
  private readonly project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      quoteKind: QuoteKind.Single,
      useTrailingCommas: true,
    },
  });

  /** Creates an empty source file at `path` (relative to the output folder). */
  create(path: string): SourceFile {
    return this.project.createSourceFile(path, '', { overwrite: true });
  }
}

function docsOf(lines: readonly string[]): { description: string }[] {
  return lines.length === 0 ? [] : [{ description: lines.join('\n') }];
}

function bodyWriter(writer: CodeBlockWriter): BodyWriter {
  const self: BodyWriter = {
    line(text) {
      writer.writeLine(text);
      return self;
    },
    block(head, inner) {
      writer.write(head).block(inner);
      return self;
    },
  };
  return self;
}
