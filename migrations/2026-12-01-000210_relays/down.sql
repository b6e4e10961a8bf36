DROP TABLE relay_checkpoints;
DROP TABLE relays;
