import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { IngressSummary } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ReactNode } from 'react';
import { kubecopilotTranslationRef } from '../../translation';

const useStyles = makeStyles(theme => ({
  missing: { color: theme.palette.error.main, fontWeight: 'bold' },
  line: { whiteSpace: 'nowrap' },
  mono: { fontFamily: 'monospace' },
}));

/** A value, and when it points at nothing, why — in the error colour. */
function Checked(props: { children: ReactNode; problem?: string }) {
  const classes = useStyles();
  return (
    <div
      className={classes.line}
      data-problem={props.problem ? 'true' : undefined}
    >
      <span className={props.problem ? classes.missing : undefined}>
        {props.children}
      </span>
      {props.problem && (
        <Typography
          variant="caption"
          component="span"
          className={classes.missing}
        >
          {` — ${props.problem}`}
        </Typography>
      )}
    </div>
  );
}

/**
 * An entity's Ingresses: per route, the Service and port it sends traffic
 * to; the TLS Secrets and the IngressClass. What does not exist is
 * highlighted.
 *
 * @public
 */
export function IngressRoutes(props: { ingresses: IngressSummary[] }) {
  const classes = useStyles();
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <InfoCard
      title={t('relations.ingressesTitle')}
      subheader={t('relations.ingressesSubheader')}
    >
      <Table size="small" aria-label={t('relations.ingressesTitle')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('relations.ingress')}</TableCell>
            <TableCell>{t('relations.route')}</TableCell>
            <TableCell>{t('relations.backend')}</TableCell>
            <TableCell>{t('relations.tls')}</TableCell>
            <TableCell>{t('relations.ingressClass')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.ingresses.map(ing => (
            <TableRow
              key={`${ing.cluster}/${ing.namespace}/${ing.name}`}
              data-ingress={ing.name}
            >
              <TableCell>
                <Typography variant="body2" style={{ fontWeight: 'bold' }}>
                  {ing.name}
                </Typography>
                <Typography variant="caption" color="textSecondary">
                  {ing.cluster} · {ing.namespace}
                </Typography>
              </TableCell>
              <TableCell>
                {ing.routes.map((r, i) => (
                  <div key={i} className={`${classes.line} ${classes.mono}`}>
                    {`${r.host ?? '*'}${r.path ?? ''}`}
                  </div>
                ))}
              </TableCell>
              <TableCell>
                {ing.routes.map((r, i) => {
                  let problem: string | undefined;
                  if (r.serviceExists === false)
                    problem = t('relations.serviceMissing');
                  else if (r.portExists === false)
                    problem = t('relations.portMissing', {
                      port: r.port ?? '',
                    });
                  return (
                    <Checked key={i} problem={problem}>
                      <span className={classes.mono}>
                        {r.port ? `${r.service}:${r.port}` : r.service}
                      </span>
                    </Checked>
                  );
                })}
              </TableCell>
              <TableCell>
                {ing.tls.length === 0
                  ? t('relations.noTls')
                  : ing.tls.map(tls => (
                      <Checked
                        key={tls.secretName}
                        problem={
                          tls.exists === false
                            ? t('relations.secretMissing')
                            : undefined
                        }
                      >
                        <span title={tls.hosts.join(', ')}>
                          {tls.secretName}
                        </span>
                      </Checked>
                    ))}
              </TableCell>
              <TableCell>
                <Checked
                  problem={
                    ing.classExists === false
                      ? t('relations.classMissing')
                      : undefined
                  }
                >
                  {ing.className ?? t('relations.defaultClass')}
                </Checked>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </InfoCard>
  );
}
