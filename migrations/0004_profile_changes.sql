CREATE TABLE `profile_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`field` text NOT NULL,
	`text` text NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`scores` text,
	`model_version` text,
	`decided_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `profile_changes_user_idx` ON `profile_changes` (`user_id`,`field`,`created_at`);--> statement-breakpoint
CREATE INDEX `profile_changes_status_idx` ON `profile_changes` (`status`,`created_at`,`id`);