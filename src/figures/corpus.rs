//! Figures across the whole corpus: for each configured key, the values every
//! source gives for it (figures counting the key's unit in a clause that
//! mentions one of its `near` words).
