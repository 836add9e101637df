import { Route, Routes } from 'react-router-dom'
import { SettingsPage } from './features/account/SettingsPage'
import { LoginPage } from './features/auth/LoginPage'
import { SessionProvider } from './features/auth/session'
import { SafetyProvider } from './features/safety/safety'
import { SignupPage } from './features/auth/SignupPage'
import { ExplorePage } from './features/explore/ExplorePage'
import { FollowingPage } from './features/feed/FollowingPage'
import { ForYouPage } from './features/feed/ForYouPage'
import { MyVideosPage } from './features/profile/MyVideosPage'
import { ProfilePage } from './features/profile/ProfilePage'
import { UploadPage } from './features/upload/UploadPage'
import { VideoPage } from './features/video/VideoPage'
import { AppShell } from './ui/AppShell'
import { EmptyState } from './ui/states'

export function App() {
  return (
    <SessionProvider>
      <SafetyProvider>
        <AppShell>
          <Routes>
            <Route path="/" element={<ForYouPage />} />
            <Route path="/following" element={<FollowingPage />} />
            <Route path="/explore" element={<ExplorePage />} />
            <Route path="/v/:id" element={<VideoPage />} />
            <Route path="/upload" element={<UploadPage />} />
            <Route path="/u/:username" element={<ProfilePage />} />
            <Route path="/me/videos" element={<MyVideosPage />} />
            <Route path="/settings" element={<SettingsPage />} />
            <Route path="/login" element={<LoginPage />} />
            <Route path="/signup" element={<SignupPage />} />
            <Route
              path="*"
              element={<EmptyState title="Page not found" body="That link goes nowhere." />}
            />
          </Routes>
        </AppShell>
      </SafetyProvider>
    </SessionProvider>
  )
}
