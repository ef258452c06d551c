-- How an attempt names its options to the participant (quiz/attempts.hpp, ShownOption): 'position'
-- (the option's place in that attempt's order, so that an id means nothing outside the attempt)
-- for attempts started from this version on; 'index' (the option's index in the question, as
-- before) for the attempts already under way when it was installed, whose pages in the browser
-- still send indexes.
ALTER TABLE attempts ADD COLUMN option_ids TEXT NOT NULL DEFAULT 'index';
