//! One file per state type: what that state does once the engine has entered it. Task,
//! Parallel and Map run inside the engine's Retry and Catch handling; every state's input and
//! output go through [`super::io`].

mod choice;
mod map;
mod parallel;
mod pass;
mod task;
mod terminal;
mod wait;
