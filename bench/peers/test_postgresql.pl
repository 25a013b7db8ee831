# Bench peer: Debian's libtest-postgresql-perl (Test::PostgreSQL), driven by lines on stdin (start, stop, quit)
# from bench/peer-tools.ts. Prints {"ready":true}, then answers each `start` with the new instance's host, port, user
# database and base dir as one JSON line (Test::PostgreSQL->new runs initdb and starts the server) and each `stop` with
# {"stopped":true} (stop, then its temp dir goes with the object).
use strict;
use warnings;
use JSON::PP qw(encode_json);
use Test::PostgreSQL;

$| = 1;
my $pg;

# Write one JSON line to stdout.
sub reply { print encode_json(shift), "\n"; }

reply({ ready => JSON::PP::true });
while (my $line = <STDIN>) {
    chomp $line;
    if ($line eq 'start') {
        $pg = eval { Test::PostgreSQL->new() };
        if (!$pg) {
            reply({ error => ($@ || $Test::PostgreSQL::errstr || 'Test::PostgreSQL->new failed') . '' });
            next;
        }
        reply({ host => '127.0.0.1', port => $pg->port + 0, user => $pg->dbowner, database => $pg->dbname, dir => $pg->base_dir . '' });
    }
    elsif ($line eq 'stop' && $pg) {
        $pg->stop;
        undef $pg;
        reply({ stopped => JSON::PP::true });
    }
    elsif ($line eq 'quit') {
        last;
    }
    else {
        reply({ error => "unknown or out-of-order command: $line" });
    }
}
if ($pg) { $pg->stop; undef $pg; }
