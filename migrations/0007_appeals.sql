CREATE TABLE `appeals` (
	`id` text PRIMARY KEY NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`appellant_id` text NOT NULL,
	`message` text NOT NULL,
	`appealed_status` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`response` text,
	`decided_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`decided_at` integer,
	FOREIGN KEY (`appellant_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `appeals_subject_unique` ON `appeals` (`subject_type`,`subject_id`);--> statement-breakpoint
CREATE INDEX `appeals_status_idx` ON `appeals` (`status`,`subject_type`,`created_at`);--> statement-breakpoint
CREATE INDEX `appeals_appellant_idx` ON `appeals` (`appellant_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `comments` ADD `hidden_at` integer;