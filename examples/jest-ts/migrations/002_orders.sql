CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL, qty integer NOT NULL CHECK (qty > 0));
