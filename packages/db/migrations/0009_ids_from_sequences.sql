-- Ids of institutions and agreed volumes from plain sequences instead of identity columns (Citus refuses to
-- distribute a table with an identity column). The new sequences continue where the identities were, so an
-- id once given (and kept in an upload's snapshot for a revert) is never given again.
CREATE SEQUENCE "public"."agreed_volumes_id_seq_next" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
SELECT setval('agreed_volumes_id_seq_next', greatest(coalesce(pg_sequence_last_value('agreed_volumes_id_seq'), 0), coalesce((SELECT max(id) FROM agreed_volumes), 0)) + 1, false);--> statement-breakpoint
ALTER TABLE "agreed_volumes" ALTER COLUMN "id" DROP IDENTITY;--> statement-breakpoint
ALTER SEQUENCE "agreed_volumes_id_seq_next" RENAME TO "agreed_volumes_id_seq";--> statement-breakpoint
ALTER SEQUENCE "agreed_volumes_id_seq" OWNED BY "agreed_volumes"."id";--> statement-breakpoint
ALTER TABLE "agreed_volumes" ALTER COLUMN "id" SET DEFAULT nextval('agreed_volumes_id_seq');--> statement-breakpoint
CREATE SEQUENCE "public"."institutions_id_seq_next" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
SELECT setval('institutions_id_seq_next', greatest(coalesce(pg_sequence_last_value('institutions_id_seq'), 0), coalesce((SELECT max(id) FROM institutions), 0)) + 1, false);--> statement-breakpoint
ALTER TABLE "institutions" ALTER COLUMN "id" DROP IDENTITY;--> statement-breakpoint
ALTER SEQUENCE "institutions_id_seq_next" RENAME TO "institutions_id_seq";--> statement-breakpoint
ALTER SEQUENCE "institutions_id_seq" OWNED BY "institutions"."id";--> statement-breakpoint
ALTER TABLE "institutions" ALTER COLUMN "id" SET DEFAULT nextval('institutions_id_seq');
