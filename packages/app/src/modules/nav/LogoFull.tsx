import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  word: {
    color: '#7df3e1',
    fontSize: 30,
    fontWeight: 700,
    letterSpacing: 0.5,
    lineHeight: '30px',
  },
});

/** The Paved word mark, shown in the open sidebar. */
export const LogoFull = () => {
  const classes = useStyles();
  return <span className={classes.word}>Paved</span>;
};
