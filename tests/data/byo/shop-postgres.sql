CREATE SEQUENCE order_number_seq START 1000;
CREATE TABLE customers (
    id serial PRIMARY KEY,
    name text NOT NULL,
    email text,
    country text NOT NULL DEFAULT 'NL'
);
CREATE TABLE orders (
    id serial PRIMARY KEY,
    number bigint NOT NULL UNIQUE DEFAULT nextval('order_number_seq'),
    customer_id integer NOT NULL REFERENCES customers(id),
    note text,
    created timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE order_lines (
    id serial PRIMARY KEY,
    order_id integer NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    sku text NOT NULL,
    quantity integer NOT NULL CHECK (quantity > 0),
    price numeric(12, 2) NOT NULL,
    padding text
);
CREATE INDEX order_lines_by_order ON order_lines (order_id);
CREATE TABLE payment_tokens (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers(id),
    token text NOT NULL
);
CREATE TABLE shop_settings (
    key text PRIMARY KEY,
    value text NOT NULL
);
CREATE VIEW order_totals AS
    SELECT o.id, o.number, sum(l.quantity * l.price) AS total
    FROM orders o JOIN order_lines l ON l.order_id = o.id GROUP BY o.id, o.number;
