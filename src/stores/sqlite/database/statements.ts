import { BindParams, Database, SqlValue, Statement } from 'sql.js';

// Prepared statements, compiled once per connection and freed together: sql.js statements hold
// wasm memory that the garbage collector cannot see.

export type Row = SqlValue[];

export class Statements {
  private readonly cache = new Map<string, Statement>();
  private depth = 0;

  constructor(readonly db: Database) {}

  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, params: BindParams = []): number {
    const statement = this.prepared(sql);
    try {
      statement.run(params);
    } finally {
      statement.reset();
    }
    return this.db.getRowsModified();
  }

  all(sql: string, params: BindParams = []): Row[] {
    const statement = this.prepared(sql);
    const rows: Row[] = [];
    try {
      statement.bind(params);
      while (statement.step()) {
        rows.push(statement.get());
      }
    } finally {
      statement.reset();
    }
    return rows;
  }

  /** Like `all`, row by row, without keeping the rows (for results of many thousand rows). */
  each(sql: string, params: BindParams, visit: (row: Row) => void): void {
    const statement = this.prepared(sql);
    try {
      statement.bind(params);
      while (statement.step()) {
        visit(statement.get());
      }
    } finally {
      statement.reset();
    }
  }

  one(sql: string, params: BindParams = []): Row | undefined {
    const statement = this.prepared(sql);
    try {
      statement.bind(params);
      return statement.step() ? statement.get() : undefined;
    } finally {
      statement.reset();
    }
  }

  /** Runs `work` in one transaction, rolled back if it throws; nested calls join the outer one. */
  transaction<T>(work: () => T): T {
    if (this.depth > 0) {
      this.depth++;
      try {
        return work();
      } finally {
        this.depth--;
      }
    }
    this.run('BEGIN');
    this.depth = 1;
    try {
      const result = work();
      this.run('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    } finally {
      this.depth = 0;
    }
  }

  freeAll(): void {
    for (const statement of this.cache.values()) {
      statement.free();
    }
    this.cache.clear();
  }

  private prepared(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}
