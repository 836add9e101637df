import type { InferResponseType } from 'hono/client'
import type { api } from './client'

// Shapes the UI works with, read off the API's own route types.
export type VideoPage = InferResponseType<(typeof api.feeds.latest)['$get'], 200>
export type VideoCard = VideoPage['videos'][number]
// For You cards also say why they are there.
export type FeedCard = InferResponseType<(typeof api.feed)['$get'], 200>['videos'][number]
export type Me = InferResponseType<(typeof api.auth.me)['$get'], 200>['user']
export type Profile = InferResponseType<(typeof api.users)[':username']['$get'], 200>['profile']
export type CategoryTree = InferResponseType<(typeof api.categories)['$get'], 200>['categories']
export type ParentCategory = CategoryTree[number]
export type CommentPage = InferResponseType<(typeof api.videos)[':id']['comments']['$get'], 200>
export type Comment = CommentPage['comments'][number]
export type PostedComment = InferResponseType<(typeof api.videos)[':id']['comments']['$post'], 201>
export type Moderation = PostedComment['moderation']
export type UploadCreated = InferResponseType<(typeof api.uploads)['$post'], 201>
export type UploadPlan = UploadCreated['upload']
export type UploadRequest = Parameters<(typeof api.uploads)['$post']>[0]['json']
