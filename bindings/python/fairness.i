/* SWIG interface of fairness.h (issue 4): typemaps and the header. Included by cogniforge.i. */
