CREATE TABLE `recs_feed_stats` (
	`day` text PRIMARY KEY NOT NULL,
	`pages` integer DEFAULT 0 NOT NULL,
	`items` integer DEFAULT 0 NOT NULL,
	`exploratory` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `recs_rebuild_batches` (
	`version` text NOT NULL,
	`batch_id` text NOT NULL,
	`failed` integer DEFAULT false NOT NULL,
	`done_at` integer NOT NULL,
	PRIMARY KEY(`version`, `batch_id`),
	FOREIGN KEY (`version`) REFERENCES `recs_rebuilds`(`version`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `recs_rebuilds` (
	`version` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`trigger` text NOT NULL,
	`started_at` integer NOT NULL,
	`planned_at` integer,
	`finished_at` integer,
	`items` integer DEFAULT 0 NOT NULL,
	`users` integer DEFAULT 0 NOT NULL,
	`batches` integer DEFAULT 0 NOT NULL
);
