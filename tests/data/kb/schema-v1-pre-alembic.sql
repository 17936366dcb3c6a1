CREATE TABLE schema_info (
	"key" VARCHAR(64) NOT NULL, 
	value VARCHAR(256) NOT NULL, 
	PRIMARY KEY ("key")
);
CREATE TABLE entities (
	id INTEGER NOT NULL, 
	name VARCHAR(256) NOT NULL, 
	type VARCHAR(16) NOT NULL, 
	family VARCHAR(64), 
	PRIMARY KEY (id), 
	CONSTRAINT uq_entity_name_type UNIQUE (name, type)
);
CREATE INDEX ix_entities_name ON entities (name);
CREATE INDEX ix_entities_type ON entities (type);
CREATE INDEX ix_entities_family ON entities (family);
CREATE TABLE imports (
	id INTEGER NOT NULL, 
	source VARCHAR(32) NOT NULL, 
	origin TEXT NOT NULL, 
	started_at VARCHAR(40) NOT NULL, 
	n_records INTEGER NOT NULL, 
	n_written INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE relations (
	id VARCHAR(128) NOT NULL, 
	subject_id INTEGER NOT NULL, 
	object_id INTEGER NOT NULL, 
	relation VARCHAR(32) NOT NULL, 
	direction VARCHAR(16) NOT NULL, 
	sign INTEGER NOT NULL, 
	cancer VARCHAR(128), 
	context VARCHAR(16) NOT NULL, 
	cell_lines JSON NOT NULL, 
	tissue TEXT, 
	sample_size INTEGER, 
	numbers JSON NOT NULL, 
	evidence TEXT NOT NULL, 
	evidence_start INTEGER, 
	evidence_end INTEGER, 
	flags JSON NOT NULL, 
	note TEXT, 
	source VARCHAR(32) NOT NULL, 
	source_id VARCHAR(256), 
	import_id INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(subject_id) REFERENCES entities (id), 
	FOREIGN KEY(object_id) REFERENCES entities (id), 
	FOREIGN KEY(import_id) REFERENCES imports (id)
);
CREATE INDEX ix_rel_source ON relations (source);
CREATE INDEX ix_rel_object ON relations (object_id);
CREATE INDEX ix_rel_cancer ON relations (cancer);
CREATE INDEX ix_rel_subject ON relations (subject_id);
CREATE INDEX ix_rel_relation ON relations (relation);
CREATE TABLE relation_refs (
	relation_id VARCHAR(128) NOT NULL, 
	position INTEGER NOT NULL, 
	ref INTEGER NOT NULL, 
	PRIMARY KEY (relation_id, position), 
	FOREIGN KEY(relation_id) REFERENCES relations (id) ON DELETE CASCADE
);
CREATE INDEX ix_relation_refs_ref ON relation_refs (ref);
CREATE TABLE relation_assays (
	relation_id VARCHAR(128) NOT NULL, 
	position INTEGER NOT NULL, 
	assay VARCHAR(128) NOT NULL, 
	PRIMARY KEY (relation_id, position), 
	FOREIGN KEY(relation_id) REFERENCES relations (id) ON DELETE CASCADE
);
CREATE INDEX ix_relation_assays_assay ON relation_assays (assay);
