import type { InferRequestType, InferResponseType } from 'hono/client'
import type { api } from './client'

// Shapes the UI works with, read off the API's own route types.
export type Me = InferResponseType<(typeof api.auth.me)['$get'], 200>['user']
export type Overview = InferResponseType<(typeof api.admin.overview)['$get'], 200>
export type HistoryPage = InferResponseType<(typeof api.admin.history)['$get'], 200>
export type HistoryEvent = HistoryPage['events'][number]
export type HistoryQuery = InferRequestType<(typeof api.admin.history)['$get']>['query']
export type Timeline = InferResponseType<
  (typeof api.admin.subjects)[':type'][':id']['timeline']['$get'],
  200
>
export type ReportGroup = InferResponseType<
  (typeof api.admin.reports)['$get'],
  200
>['groups'][number]
export type CreatorHistory = InferResponseType<
  (typeof api.admin.creators)[':id']['history']['$get'],
  200
>
export type AdminUser = InferResponseType<(typeof api.admin.users)['$get'], 200>['users'][number]
export type UserActivity = InferResponseType<(typeof api.admin.users)[':id']['$get'], 200>
export type VideoQueuePage = InferResponseType<(typeof api.moderation.videos)['$get'], 200>
export type QueueVideo = VideoQueuePage['videos'][number]
export type CommentQueuePage = InferResponseType<(typeof api.moderation.comments)['$get'], 200>
export type QueueComment = CommentQueuePage['comments'][number]
export type Policies = InferResponseType<(typeof api.moderation.policies)['$get'], 200>
export type Preview = InferResponseType<
  (typeof api.moderation.policies)[':kind{video|comment}']['preview']['$post'],
  200
>
export type Action = 'approve' | 'reject' | 'restore'
