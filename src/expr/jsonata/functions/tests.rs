//! One line per built-in: each row of the table does what its name says.
