-- Exact like counters: the row in `likes` and the counter change in one
-- statement's transaction, so concurrent likes/unlikes never drift.
CREATE TRIGGER likes_count_insert AFTER INSERT ON likes
BEGIN
  UPDATE videos SET like_count = like_count + 1 WHERE id = NEW.video_id;
END;
--> statement-breakpoint
CREATE TRIGGER likes_count_delete AFTER DELETE ON likes
BEGIN
  UPDATE videos SET like_count = like_count - 1 WHERE id = OLD.video_id;
END;
--> statement-breakpoint
INSERT INTO parent_categories (id, name, description, icon, position) VALUES
  ('comedy', 'Comedy', 'Sketches, pranks, stand-up and memes', '😂', 1),
  ('music-dance', 'Music & Dance', 'Covers, originals, choreography', '🎵', 2),
  ('food', 'Food & Cooking', 'Recipes, baking, street food', '🍜', 3),
  ('sports', 'Sports & Fitness', 'Games, workouts, extreme sports', '⚽', 4),
  ('gaming', 'Gaming', 'Gameplay, esports, speedruns', '🎮', 5),
  ('learning', 'Learning', 'Science, history, languages, how-to', '📚', 6),
  ('travel-nature', 'Travel & Nature', 'Places, outdoors and animals', '🌍', 7),
  ('style', 'Fashion & Beauty', 'Outfits, makeup and skincare', '👗', 8);
--> statement-breakpoint
INSERT INTO categories (id, parent_id, name, description, icon) VALUES
  ('sketches', 'comedy', 'Sketches', 'Short scripted comedy', '🎭'),
  ('pranks', 'comedy', 'Pranks', 'Harmless pranks and reactions', '🤡'),
  ('stand-up', 'comedy', 'Stand-up', 'Stand-up clips', '🎤'),
  ('memes', 'comedy', 'Memes', 'Trends and memes', '🐸'),
  ('covers', 'music-dance', 'Covers', 'Covers of songs', '🎸'),
  ('original-music', 'music-dance', 'Original music', 'Songs by their creators', '🎹'),
  ('choreography', 'music-dance', 'Choreography', 'Dance routines', '💃'),
  ('dance-tutorials', 'music-dance', 'Dance tutorials', 'Learn the moves', '🕺'),
  ('recipes', 'food', 'Recipes', 'Step-by-step cooking', '🥘'),
  ('baking', 'food', 'Baking', 'Bread, cakes and pastry', '🥐'),
  ('street-food', 'food', 'Street food', 'Food around the world', '🌮'),
  ('food-reviews', 'food', 'Food reviews', 'Tasting and reviews', '⭐'),
  ('football', 'sports', 'Football', 'Skills, goals, matches', '⚽'),
  ('basketball', 'sports', 'Basketball', 'Hoops and highlights', '🏀'),
  ('workouts', 'sports', 'Workouts', 'Training and fitness', '🏋️'),
  ('extreme-sports', 'sports', 'Extreme sports', 'Skate, surf, climb', '🛹'),
  ('running', 'sports', 'Running', 'Runs and races', '🏃'),
  ('gameplay', 'gaming', 'Gameplay', 'Let''s plays and highlights', '🕹️'),
  ('esports', 'gaming', 'Esports', 'Competitive gaming', '🏆'),
  ('speedruns', 'gaming', 'Speedruns', 'Fast runs and tricks', '⏱️'),
  ('retro-games', 'gaming', 'Retro games', 'Classics', '👾'),
  ('science', 'learning', 'Science', 'Experiments and explainers', '🔬'),
  ('history', 'learning', 'History', 'Stories from the past', '🏛️'),
  ('languages', 'learning', 'Languages', 'Learn a language', '🗣️'),
  ('tech-tips', 'learning', 'Tech tips', 'Gadgets and software', '💻'),
  ('diy', 'learning', 'DIY', 'Make and repair things', '🔧'),
  ('destinations', 'travel-nature', 'Destinations', 'Cities and places', '🗺️'),
  ('outdoors', 'travel-nature', 'Outdoors', 'Hiking and camping', '🏕️'),
  ('animals', 'travel-nature', 'Animals', 'Pets and wildlife', '🐾'),
  ('outfits', 'style', 'Outfits', 'What to wear', '👟'),
  ('makeup', 'style', 'Makeup', 'Looks and tutorials', '💄'),
  ('skincare', 'style', 'Skincare', 'Routines and tips', '🧴');
--> statement-breakpoint
-- A view counts once per viewer and video: the watch row flips `counted`
-- once (guarded by `counted = 0`), and only that flip bumps the counter.
CREATE TRIGGER watches_count_view AFTER UPDATE OF counted ON watches
WHEN NEW.counted = 1 AND OLD.counted = 0
BEGIN
  UPDATE videos SET view_count = view_count + 1 WHERE id = NEW.video_id;
END;
