// The SQL editor: CodeMirror 6 with a Trino dialect, catalog- and function-aware completion,
// Mod-Enter to run the statement under the cursor (or the selection), and error marks.

import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type Completion, type CompletionContext } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { PostgreSQL, sql, SQLDialect, type SQLNamespace } from '@codemirror/lang-sql';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { Compartment, EditorState, Prec, type Extension } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { FUNCTION_LIST, KEYWORD_LIST, statementAt, TYPE_LIST } from './sql';

export const TrinoDialect = SQLDialect.define({
  keywords: KEYWORD_LIST.join(' ').toLowerCase(),
  types: TYPE_LIST.join(' '),
  builtin: FUNCTION_LIST.join(' '),
  operatorChars: PostgreSQL.spec.operatorChars,
  identifierQuotes: '"',
  caseInsensitiveIdentifiers: true,
  doubleQuotedStrings: false,
});

export interface RunTarget {
  text: string;
  from: number;
}

export interface EditorCallbacks {
  run(target: RunTarget): void;
  runAll(): void;
  cancel(): void;
  save(): void;
  changed(doc: string): void;
}

export class SqlEditor {
  readonly view: EditorView;
  private readonly language = new Compartment();
  private functions: string[] = FUNCTION_LIST;
  private schema: SQLNamespace = {};
  private defaultSchema: string | undefined;
  private hasError = false;

  constructor(parent: HTMLElement, private readonly callbacks: EditorCallbacks) {
    this.view = new EditorView({ parent, state: this.newState('') });
  }

  private extensions(): Extension[] {
    return [
      lineNumbers(),
      highlightActiveLineGutter(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      lintGutter(),
      placeholder('SELECT … — Ctrl/Cmd+Enter runs the statement under the cursor'),
      this.language.of(this.languageExtension()),
      autocompletion({ activateOnTyping: true, icons: true }),
      // Mod-Enter is insertBlankLine in the default keymap: Run must win
      Prec.highest(
        keymap.of([
          { key: 'Mod-Enter', run: () => (this.callbacks.run(this.runTarget()), true), preventDefault: true },
          { key: 'Shift-Mod-Enter', run: () => (this.callbacks.runAll(), true), preventDefault: true },
          { key: 'Mod-.', run: () => (this.callbacks.cancel(), true), preventDefault: true },
          { key: 'Mod-s', run: () => (this.callbacks.save(), true), preventDefault: true },
        ]),
      ),
      keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) {
          this.callbacks.changed(update.state.doc.toString());
          if (this.hasError) queueMicrotask(() => this.clearError()); // no dispatch inside an update
        }
      }),
      EditorView.contentAttributes.of({ 'aria-label': 'SQL editor' }),
    ];
  }

  private languageExtension(): Extension {
    const language = sql({
      dialect: TrinoDialect,
      schema: this.schema,
      defaultSchema: this.defaultSchema,
      upperCaseKeywords: true,
    });
    return [language, TrinoDialect.language.data.of({ autocomplete: (context: CompletionContext) => this.completeFunctions(context) })];
  }

  private completeFunctions(context: CompletionContext) {
    const word = context.matchBefore(/[A-Za-z_][\w]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const before = context.state.sliceDoc(Math.max(0, word.from - 1), word.from);
    if (before === '.' || before === '"') return null;
    const options: Completion[] = this.functions.map((name) => ({ label: name, type: 'function', detail: 'function', apply: name + '(', boost: -1 }));
    return { from: word.from, options, validFor: /^\w*$/ };
  }

  private newState(doc: string): EditorState {
    return EditorState.create({ doc, extensions: this.extensions() });
  }

  /** The catalog for completion: schema → table → columns, and the session's schema. */
  setSchema(schema: SQLNamespace, defaultSchema: string | undefined) {
    this.schema = schema;
    this.defaultSchema = defaultSchema;
    this.view.dispatch({ effects: this.language.reconfigure(this.languageExtension()) });
  }

  setFunctions(names: string[]) {
    this.functions = Array.from(new Set([...FUNCTION_LIST, ...names.map((name) => name.toLowerCase())])).sort();
  }

  /** Replaces the document (switching tabs): a fresh state, so undo history stays per tab. */
  load(doc: string) {
    this.view.setState(this.newState(doc));
  }

  doc(): string {
    return this.view.state.doc.toString();
  }

  replaceAll(text: string) {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  insert(text: string) {
    const range = this.view.state.selection.main;
    this.view.dispatch({ changes: { from: range.from, to: range.to, insert: text }, selection: { anchor: range.from + text.length } });
    this.view.focus();
  }

  /** The selection when there is one, else the statement under the cursor. */
  runTarget(): RunTarget {
    const state = this.view.state;
    const range = state.selection.main;
    if (!range.empty) {
      const text = state.sliceDoc(range.from, range.to);
      const lead = text.length - text.trimStart().length;
      return { text: text.trim(), from: range.from + lead };
    }
    const statement = statementAt(state.doc.toString(), range.head);
    return statement ? { text: statement.text, from: statement.from } : { text: '', from: 0 };
  }

  markError(from: number, to: number, message: string) {
    const length = this.view.state.doc.length;
    from = Math.min(from, length);
    to = Math.max(from, Math.min(to, length));
    this.hasError = true;
    this.view.dispatch(setDiagnostics(this.view.state, [{ from, to, severity: 'error', message, source: 'Glaux' }]));
    this.view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
  }

  clearError() {
    if (!this.hasError) return;
    this.hasError = false;
    this.view.dispatch(setDiagnostics(this.view.state, []));
  }

  focus() {
    this.view.focus();
  }
}
