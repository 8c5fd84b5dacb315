-- The plan database at schema version 1, frozen: the tables exactly as
-- version 1 creates them, and a sample plan (two days filled from the
-- built-in template, a block crossing midnight, a done block with notes,
-- unicode and actual times, an id freed by a deletion, a day left empty,
-- the notifier's watermark). Never edit it: the migration tests build a
-- version 1 database from it and upgrade it to the current schema.
BEGIN TRANSACTION;
CREATE TABLE block (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	uid VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	category_id INTEGER NOT NULL, 
	start DATETIME NOT NULL, 
	"end" DATETIME NOT NULL, 
	notes VARCHAR NOT NULL, 
	fixed BOOLEAN NOT NULL, 
	notify BOOLEAN NOT NULL, 
	deadline BOOLEAN NOT NULL, 
	done BOOLEAN NOT NULL, 
	actual_start DATETIME, 
	actual_end DATETIME, 
	UNIQUE (uid), 
	FOREIGN KEY(category_id) REFERENCES category (id)
);
INSERT INTO "block" VALUES(1,'d23b5aa4-ddf3-4f02-9dfc-b4dfdf6efaba@ml-day','Exercise, shower, breakfast',1,'2026-03-27 06:00:00.000000','2026-03-27 08:00:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(2,'4cc1368a-322c-4e7c-83c1-e81cbf54d2cf@ml-day','Catch up: overnight runs, email, today''s task list',2,'2026-03-27 09:00:00.000000','2026-03-27 10:00:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(3,'0aa92172-03b5-42fb-a7b8-4e6f630c2677@ml-day','Deep work: code, data, experiments',3,'2026-03-27 10:00:00.000000','2026-03-27 12:00:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(4,'252412fb-99ee-43f2-b798-b5db8d6e205e@ml-day','Lunch with the team',4,'2026-03-27 12:00:00.000000','2026-03-27 13:00:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(5,'4ff516d7-5c1e-4939-b914-b235c50e82f9@ml-day','Meetings and client calls',5,'2026-03-27 13:00:00.000000','2026-03-27 14:00:00.000000','',1,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(6,'95b7aa69-ea95-4b12-b218-b09675243d9f@ml-day','Finish tasks, unit tests, model metrics vs baseline, client requests',6,'2026-03-27 14:00:00.000000','2026-03-27 17:00:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(7,'ec1b4d6f-8005-4b37-bead-2117623ea772@ml-day','Wrap-up: merge pending changes, nothing left half-done',7,'2026-03-27 18:00:00.000000','2026-03-27 20:00:00.000000','',1,1,1,0,NULL,NULL);
INSERT INTO "block" VALUES(8,'eaf39b41-d397-4f7f-a424-d8583c7f8e74@ml-day','Head home',8,'2026-03-27 20:00:00.000000','2026-03-27 20:30:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(9,'6da22d97-186c-4a9c-8588-5d8e6a5d58a0@ml-day','Last email check',9,'2026-03-27 22:00:00.000000','2026-03-27 22:15:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(10,'5c3a8f57-fafe-4dfb-9ab5-30c28b28bd12@ml-day','Sleep',10,'2026-03-27 22:30:00.000000','2026-03-28 06:00:00.000000','',0,0,0,0,NULL,NULL);
INSERT INTO "block" VALUES(11,'ca7fb3e1-5ec3-4972-831d-bce50432fd19@ml-day','Exercise, shower, breakfast',1,'2026-03-28 06:00:00.000000','2026-03-28 08:00:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(12,'d8dc935a-3ea8-42d3-ac17-68a617d01c1b@ml-day','Catch up: overnight runs, email, today''s task list',2,'2026-03-28 09:00:00.000000','2026-03-28 10:00:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(13,'f40229ea-6c2e-4b37-9a7c-54b501ed9095@ml-day','Deep work: code, data, experiments',3,'2026-03-28 10:00:00.000000','2026-03-28 12:00:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(14,'7702a38e-4fdc-437a-b02a-cf25b38bd5d0@ml-day','Lunch with the team',4,'2026-03-28 12:00:00.000000','2026-03-28 13:00:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(15,'434e91b1-73eb-499d-97eb-79ce71c94383@ml-day','Meetings and client calls',5,'2026-03-28 13:00:00.000000','2026-03-28 14:00:00.000000','',1,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(16,'0d0771f9-55ec-430a-8472-d1c38fe8127b@ml-day','Finish tasks, unit tests, model metrics vs baseline, client requests',6,'2026-03-28 14:00:00.000000','2026-03-28 17:00:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(17,'227258e7-e2bc-446d-9e70-7cd764d7c281@ml-day','Wrap-up: merge pending changes, nothing left half-done',7,'2026-03-28 18:00:00.000000','2026-03-28 20:00:00.000000','',1,1,1,0,NULL,NULL);
INSERT INTO "block" VALUES(18,'8c680da5-acb3-4ca9-8aba-5339a9b0505d@ml-day','Head home',8,'2026-03-28 20:00:00.000000','2026-03-28 20:30:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(19,'073f9edf-a0bf-43d2-a577-92ccc407aab5@ml-day','Last email check',9,'2026-03-28 22:00:00.000000','2026-03-28 22:15:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(20,'e3139ae5-6c10-44de-b607-1c9ec1638a06@ml-day','Sleep',10,'2026-03-28 22:30:00.000000','2026-03-29 06:00:00.000000','',0,0,0,0,NULL,NULL);
INSERT INTO "block" VALUES(21,'0d6200a7-dcd1-49fd-aaf2-f10c73e23a00@ml-day','Paper reading: «attention» 📄',11,'2026-03-28 15:00:00.000000','2026-03-28 16:30:00.000000','two papers
then notes',1,1,1,1,'2026-03-28 15:05:00.000000','2026-03-28 16:40:00.000000');
INSERT INTO "block" VALUES(22,'d2f02766-541a-44cb-82fb-3e55e8c8a246@ml-day','Exercise, shower, breakfast',1,'2026-03-29 06:00:00.000000','2026-03-29 08:00:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(23,'a0a6438d-6ff3-44fe-bd1b-260f811df7e9@ml-day','Catch up: overnight runs, email, today''s task list',2,'2026-03-29 09:00:00.000000','2026-03-29 10:00:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(24,'cc750543-6ccd-4386-94df-89a1d8992fd3@ml-day','Deep work: code, data, experiments',3,'2026-03-29 10:00:00.000000','2026-03-29 12:00:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(25,'3322fde9-e76a-4f9b-9fef-cc11690eee5d@ml-day','Lunch with the team',4,'2026-03-29 12:00:00.000000','2026-03-29 13:00:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(26,'15c8c558-ac6f-4b06-a8c3-45047298403a@ml-day','Meetings and client calls',5,'2026-03-29 13:00:00.000000','2026-03-29 14:00:00.000000','',1,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(27,'7547ed5b-aa0d-4077-a20d-51b3bdbe4fb2@ml-day','Finish tasks, unit tests, model metrics vs baseline, client requests',6,'2026-03-29 14:00:00.000000','2026-03-29 17:00:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(28,'5d352d6b-7be5-448e-a209-d21c2509df04@ml-day','Wrap-up: merge pending changes, nothing left half-done',7,'2026-03-29 18:00:00.000000','2026-03-29 20:00:00.000000','',1,1,1,0,NULL,NULL);
INSERT INTO "block" VALUES(29,'7a0d7804-288c-46cd-8ea9-b34f41109662@ml-day','Head home',8,'2026-03-29 20:00:00.000000','2026-03-29 20:30:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(30,'17e93800-04dd-4405-abc8-ce1f60a19b25@ml-day','Last email check',9,'2026-03-29 22:00:00.000000','2026-03-29 22:15:00.000000','',0,1,0,0,NULL,NULL);
INSERT INTO "block" VALUES(31,'0d83ff09-7b7f-48a4-bcb0-536b898773e5@ml-day','Sleep',10,'2026-03-29 22:30:00.000000','2026-03-30 06:00:00.000000','',0,0,0,0,NULL,NULL);
INSERT INTO "block" VALUES(32,'6f592e1b-1912-42f8-a710-3c6e5b5ffab1@ml-day','Night deploy',3,'2026-03-29 01:30:00.000000','2026-03-29 03:30:00.000000','',0,1,0,0,NULL,NULL);
CREATE TABLE category (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	colour VARCHAR NOT NULL, 
	silent BOOLEAN NOT NULL, 
	pre_alert_minutes INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
INSERT INTO "category" VALUES(1,'fitness','#2e9e5b',0,0);
INSERT INTO "category" VALUES(2,'catch-up','#3a7bd5',0,0);
INSERT INTO "category" VALUES(3,'deep-work','#6c4bd8',0,0);
INSERT INTO "category" VALUES(4,'meal','#e08a1e',0,0);
INSERT INTO "category" VALUES(5,'meeting','#d6453d',0,5);
INSERT INTO "category" VALUES(6,'testing','#1f9aa8',0,0);
INSERT INTO "category" VALUES(7,'wrap-up','#c2407f',0,0);
INSERT INTO "category" VALUES(8,'commute','#7d8a96',0,0);
INSERT INTO "category" VALUES(9,'email','#4f8fc0',0,0);
INSERT INTO "category" VALUES(10,'sleep','#3c4a6b',1,0);
INSERT INTO "category" VALUES(11,'reading','#c2407f',0,0);
INSERT INTO "category" VALUES(12,'general','#c2407f',0,0);
CREATE TABLE day (
	date DATE NOT NULL, 
	template_id INTEGER, 
	PRIMARY KEY (date), 
	FOREIGN KEY(template_id) REFERENCES template (id)
);
INSERT INTO "day" VALUES('2026-03-27',1);
INSERT INTO "day" VALUES('2026-03-28',1);
INSERT INTO "day" VALUES('2026-03-29',1);
INSERT INTO "day" VALUES('2026-03-30',NULL);
CREATE TABLE meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "meta" VALUES('default_template_id','1');
INSERT INTO "meta" VALUES('revision','5');
INSERT INTO "meta" VALUES('notifier.watermark','2026-03-28T14:59:00+00:00');
CREATE TABLE template (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	builtin BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
INSERT INTO "template" VALUES(1,'ML engineer',1);
CREATE TABLE template_block (
	id INTEGER NOT NULL, 
	template_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	title VARCHAR NOT NULL, 
	category_id INTEGER NOT NULL, 
	start_time VARCHAR NOT NULL, 
	end_time VARCHAR NOT NULL, 
	notes VARCHAR NOT NULL, 
	fixed BOOLEAN NOT NULL, 
	notify BOOLEAN NOT NULL, 
	deadline BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(template_id) REFERENCES template (id), 
	FOREIGN KEY(category_id) REFERENCES category (id)
);
INSERT INTO "template_block" VALUES(1,1,0,'Exercise, shower, breakfast',1,'06:00','08:00','',0,1,0);
INSERT INTO "template_block" VALUES(2,1,1,'Catch up: overnight runs, email, today''s task list',2,'09:00','10:00','',0,1,0);
INSERT INTO "template_block" VALUES(3,1,2,'Deep work: code, data, experiments',3,'10:00','12:00','',0,1,0);
INSERT INTO "template_block" VALUES(4,1,3,'Lunch with the team',4,'12:00','13:00','',0,1,0);
INSERT INTO "template_block" VALUES(5,1,4,'Meetings and client calls',5,'13:00','14:00','',1,1,0);
INSERT INTO "template_block" VALUES(6,1,5,'Finish tasks, unit tests, model metrics vs baseline, client requests',6,'14:00','17:00','',0,1,0);
INSERT INTO "template_block" VALUES(7,1,6,'Wrap-up: merge pending changes, nothing left half-done',7,'18:00','20:00','',1,1,1);
INSERT INTO "template_block" VALUES(8,1,7,'Head home',8,'20:00','20:30','',0,1,0);
INSERT INTO "template_block" VALUES(9,1,8,'Last email check',9,'22:00','22:15','',0,1,0);
INSERT INTO "template_block" VALUES(10,1,9,'Sleep',10,'22:30','06:00','',0,0,0);
CREATE INDEX ix_block_category_id ON block (category_id);
CREATE INDEX ix_block_start ON block (start);
CREATE INDEX ix_template_block_template_id ON template_block (template_id);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('block',33);
PRAGMA user_version = 1;
COMMIT;
