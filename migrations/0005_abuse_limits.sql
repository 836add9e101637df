CREATE TABLE `login_failures` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`first_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `users` ADD `rate_limited_at` integer;