-- The schema every test's database is cloned with: migrations run once per content, cached as a snapshot.
CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);
