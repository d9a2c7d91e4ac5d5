PRAGMA journal_mode = WAL;
PRAGMA foreign_keys = ON;
CREATE TABLE customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    email TEXT,
    country TEXT NOT NULL DEFAULT 'NL'
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    note TEXT,
    created TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    price NUMERIC NOT NULL,
    padding TEXT
);
CREATE INDEX order_lines_by_order ON order_lines (order_id);
CREATE TABLE payment_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    token TEXT NOT NULL
);
CREATE TABLE shop_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE VIEW order_totals AS
    SELECT o.id, sum(l.quantity * l.price) AS total
    FROM orders o JOIN order_lines l ON l.order_id = o.id GROUP BY o.id;
