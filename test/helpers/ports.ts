// A port for a test that binds its own, one function for every test: below Linux's ephemeral range (32768-60999,
// where the system picks the ports of sockets bound to 0, such as every sender's: one of those took a port a
// test meant to listen on, and CI failed), and clear of the fixed ones other files use (7735, 17735+,
// 19600-19999, loopbackDiscovery's 27500-27799, faults.test.ts's 27800+).
export const randomPort = (): number => 20_000 + Math.floor(Math.random() * 7_500);
