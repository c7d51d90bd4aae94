//! Unit tests for each pymalloc algorithm, against obmalloc.c's behaviour.

use super::*;
