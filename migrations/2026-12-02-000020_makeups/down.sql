DROP TABLE makeups;
