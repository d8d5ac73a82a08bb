DROP TABLE login_failures;
DROP TABLE http_sessions;
