-- Whether a turn that leaves new errors in the preview is followed by automatic fix-up turns (on by default).
ALTER TABLE projects ADD COLUMN auto_fix BOOLEAN DEFAULT true;
